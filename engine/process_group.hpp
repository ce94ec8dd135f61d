#pragma once
// The processes that share one run: the ranks of an MPI job when vtrial was built with MPI and
// started by mpirun, else this process alone (rank 0 of 1). Only what a run needs: point-to-
// point blocks of doubles to rank 0, a collective "did any rank fail", and ending the job.
// No parallel HDF5: rank 0 alone writes the file, from blocks it receives in trial order.
#include <vector>

namespace vtrial {

class ProcessGroup {
 public:
  // Joins the MPI job if this process was started by mpirun (and the build has MPI); a plain
  // run never initializes MPI. Call once, first thing in main.
  static ProcessGroup& start(int& argc, char**& argv);
  static ProcessGroup& world();  // after start(); rank 0 of 1 if start() was never called

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool distributed() const { return size_ > 1; }
  static bool built_with_mpi();

  // Blocking, tagged; `buffer` must have the sender's size at the receiver.
  void send(const std::vector<double>& buffer, int to, int tag) const;
  void receive(std::vector<double>& buffer, int from, int tag) const;
  // Rank `root`'s buffer on every rank (a collective); the size must be known to all.
  void broadcast(std::vector<double>& buffer, int root) const;
  // True on every rank if `failed` is true on any (a collective: every rank must call it).
  bool any(bool failed) const;
  // Ends every rank of the job with `status` (MPI_Abort); alone, the process exits.
  [[noreturn]] void abort(int status) const;
  // Leaves the job cleanly (MPI_Finalize); a no-op alone. Call before a normal exit.
  void finish() const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;
};

}  // namespace vtrial
