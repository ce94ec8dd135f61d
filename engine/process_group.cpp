#include "engine/process_group.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#ifdef VTRIAL_HAVE_MPI
// The C API only: mpi.h would otherwise pull in the removed C++ bindings (libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace vtrial {
namespace {

ProcessGroup& instance() {
  static ProcessGroup group;
  return group;
}

// Set by mpirun (Open MPI, or a PMI-based launcher such as Slurm's srun) in each rank.
bool launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

}  // namespace

bool ProcessGroup::built_with_mpi() {
#ifdef VTRIAL_HAVE_MPI
  return true;
#else
  return false;
#endif
}

ProcessGroup& ProcessGroup::start([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
  ProcessGroup& g = instance();
#ifdef VTRIAL_HAVE_MPI
  if (launched_by_mpirun() && !g.mpi_) {
    int provided = 0;
    // Only the main thread calls MPI (the worker threads simulate; blocks are sent between them).
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &g.rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &g.size_);
    g.mpi_ = true;
  }
#else
  if (launched_by_mpirun() && std::getenv("OMPI_COMM_WORLD_SIZE") &&
      std::string(std::getenv("OMPI_COMM_WORLD_SIZE")) != "1")
    std::fprintf(stderr,
                 "vtrial: warning: started by mpirun, but this build has no MPI (install libopenmpi-dev and "
                 "rebuild); each rank runs the whole job alone\n");
#endif
  return g;
}

ProcessGroup& ProcessGroup::world() { return instance(); }

void ProcessGroup::send([[maybe_unused]] const std::vector<double>& buffer, [[maybe_unused]] int to,
                        [[maybe_unused]] int tag) const {
#ifdef VTRIAL_HAVE_MPI
  if (mpi_) {
    MPI_Send(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, to, tag, MPI_COMM_WORLD);
    return;
  }
#endif
  throw std::logic_error("ProcessGroup::send outside an MPI job");
}

void ProcessGroup::receive([[maybe_unused]] std::vector<double>& buffer, [[maybe_unused]] int from,
                           [[maybe_unused]] int tag) const {
#ifdef VTRIAL_HAVE_MPI
  if (mpi_) {
    MPI_Recv(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return;
  }
#endif
  throw std::logic_error("ProcessGroup::receive outside an MPI job");
}

void ProcessGroup::broadcast([[maybe_unused]] std::vector<double>& buffer, [[maybe_unused]] int root) const {
#ifdef VTRIAL_HAVE_MPI
  if (mpi_) MPI_Bcast(buffer.data(), static_cast<int>(buffer.size()), MPI_DOUBLE, root, MPI_COMM_WORLD);
#endif
}

bool ProcessGroup::any(bool failed) const {
#ifdef VTRIAL_HAVE_MPI
  if (mpi_) {
    int mine = failed ? 1 : 0, result = 0;
    MPI_Allreduce(&mine, &result, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
    return result != 0;
  }
#endif
  return failed;
}

void ProcessGroup::abort(int status) const {
  std::fflush(nullptr);
#ifdef VTRIAL_HAVE_MPI
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, status);
#endif
  std::_Exit(status);
}

void ProcessGroup::finish() const {
#ifdef VTRIAL_HAVE_MPI
  if (mpi_) MPI_Finalize();
#endif
}

}  // namespace vtrial
