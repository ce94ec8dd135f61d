"""What the report tests run: the vtrial commands of the result files, and which files each
page is made from (shared by conftest.py and the tests; not named conftest so that it cannot be
confused with another directory's)."""
import os
import subprocess


def run(*args, check=True):
    done = subprocess.run([os.environ["VTRIAL_BIN"], *map(str, args)], capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"vtrial {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
    return done


# name: the vtrial words that write it (the output path is added).
RESULT_FILES = {
    "mechanistic_run": ["run", "nct06971913.yaml", "--trials", "60", "--set", "output.patient_trials=2",
                        "--set", "output.trajectory_patients=6"],
    "parametric_run": ["run", "nct06971913.yaml", "--trials", "300", "--set", "model=parametric",
                       "--set", "output.patient_trials=3"],
    "interim_run": ["run", "nct06971913.yaml", "--trials", "300", "--set", "model=parametric",
                    "--set", "analysis.interim.enabled=true"],
    "parametric_sweep": ["sweep", "nct06971913.yaml", "--patients", "60:140:20", "--trials", "200",
                         "--set", "model=parametric"],
    "mechanistic_sweep": ["sweep", "nct06971913.yaml", "--patients", "60:100:20", "--trials", "40"],
    "samplesize": ["samplesize", "nct06971913.yaml", "--set", "model=parametric", "--trials", "200",
                   "--target-power", "0.6", "--max", "400", "--step", "10"],
    "dose_finding_run": ["run", "nct06971913_dose_finding.yaml", "--trials", "200", "--set", "model=parametric"],
    "assurance_run": ["run", "nct06971913_assurance.yaml", "--trials", "120", "--set", "analysis.type1_error=false"],
}

# Each report: the result files it is made from, in order.
REPORTS = {
    "run": ["mechanistic_run"],
    "interim": ["interim_run"],
    "sweeps_side_by_side": ["parametric_sweep", "mechanistic_sweep"],
    "samplesize": ["samplesize"],
    "multi_arm_and_assurance": ["dose_finding_run", "assurance_run"],
    "everything": ["parametric_run", "parametric_sweep", "samplesize"],
}
