"""The driver's ``-o`` (issue 17, class 2): whole or nothing, only where asked.  Devices
and links stay what they are, a failed run leaves no temporary and no damaged file, a
full disk and a signal end in one line and a clean exit code."""

import os
import resource
import signal
import stat
import subprocess

import numpy as np
import pytest

from fpga_opt.testing.networks import NetworkSpec, random_mlp
from fpga_opt.transforms.compile import Compile

from .test_determinism import fpga_opt
from .hostile_inputs import one_line_error, run

SMALL_IR = "func.func @f(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {\n  func.return\n}\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "in.mlir").write_text(SMALL_IR)
    return tmp_path


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob(".fpga-opt-*"))


def network_ir(widths=(6, 5, 3), bits=4) -> str:
    return str(random_mlp(np.random.default_rng(3), NetworkSpec(1, widths, bits, 0, 0.2, False)))


def test_dev_null_stays_a_device(folder):
    outcome = run([str(folder / "in.mlir"), "-o", "/dev/null"], folder)
    assert outcome.code == 0, outcome.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_stdout_is_written_through(folder):
    done = subprocess.run(fpga_opt() + [str(folder / "in.mlir"), "-o", "/dev/stdout"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "func.func @f" in done.stdout


def test_a_symlink_stays_and_its_target_is_replaced(folder):
    (folder / "real.mlir").write_text("old\n")
    (folder / "link.mlir").symlink_to("real.mlir")
    os.chmod(folder / "real.mlir", 0o640)
    assert run([str(folder / "in.mlir"), "-o", str(folder / "link.mlir")], folder).code == 0
    assert os.readlink(folder / "link.mlir") == "real.mlir"
    assert "func.func @f" in (folder / "real.mlir").read_text()
    assert stat.S_IMODE(os.stat(folder / "real.mlir").st_mode) == 0o640
    assert leftovers(folder) == []


def test_a_dangling_symlink_creates_its_target(folder):
    (folder / "link.mlir").symlink_to("new.mlir")
    assert run([str(folder / "in.mlir"), "-o", str(folder / "link.mlir")], folder).code == 0
    assert os.path.islink(folder / "link.mlir") and "func.func @f" in (folder / "new.mlir").read_text()


def test_output_equal_to_the_input_is_refused(folder):
    (folder / "bad.mlir").write_text("func.func @f( {\n")
    for name in ("in.mlir", "bad.mlir"):
        before = (folder / name).read_bytes()
        one_line_error(run([str(folder / name), "-o", str(folder / name)], folder),
                       "-o names the input file")
        assert (folder / name).read_bytes() == before
    (folder / "alias.mlir").symlink_to("in.mlir")
    one_line_error(run([str(folder / "in.mlir"), "-o", str(folder / "alias.mlir")], folder),
                   "-o names the input file")


def test_empty_output_name(folder):
    sub = folder / "sub"
    sub.mkdir()
    done = subprocess.run(fpga_opt() + ["../in.mlir", "-o", ""], cwd=sub, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1 and done.stderr == "fpga-opt: error: -o '': the output file name is empty\n"
    assert leftovers(folder) == [] and sorted(os.listdir(sub)) == []


@pytest.mark.parametrize("target", ["outdir", "newdir/"])
def test_directory_target_without_a_design_is_a_user_error(folder, target):
    """``-o DIR`` writes a hardware project (tests/system/test_project.py); IR that is not a compiled
    design gives one line and leaves nothing behind."""
    if target == "outdir":
        (folder / target).mkdir()
    one_line_error(run([str(folder / "in.mlir"), "-o", f"{folder}/{target}"], folder),
                   "a project needs one compiled rtl.module")
    assert leftovers(folder) == [] and not (folder / "newdir").exists()
    assert target == "newdir/" or os.listdir(folder / target) == []


def test_failed_run_keeps_the_old_output(folder):
    (folder / "bad.mlir").write_text("func.func @f( {\n")
    (folder / "out.mlir").write_text("old\n")
    outcome = run([str(folder / "bad.mlir"), "-o", str(folder / "out.mlir")], folder)
    assert outcome.code == 1 and (folder / "out.mlir").read_text() == "old\n"
    assert leftovers(folder) == []


def test_full_disk_is_a_user_error(folder):
    """A 2 kB file-size limit (as a full disk): the write fails, nothing is left."""
    (folder / "net.mlir").write_text(network_ir())
    (folder / "out.v").write_text("old\n")

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    done = subprocess.run(fpga_opt() + [str(folder / "net.mlir"), "-p", "compile", "-t", "verilog",
                                        "-o", str(folder / "out.v")],
                          capture_output=True, text=True, timeout=300, preexec_fn=limit_file_size)
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "cannot write the output: File too large" in done.stderr
    assert (folder / "out.v").read_text() == "old\n" and leftovers(folder) == []


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_compile(folder, signum, code):
    (folder / "net.mlir").write_text(network_ir((48, 48, 48), 8))
    stages = Compile().pipeline_spec()  # stage by stage, so that the IR prints between them
    process = subprocess.Popen(fpga_opt() + [str(folder / "net.mlir"), "-p", stages, "-t", "verilog",
                                             "--print-between-passes", "-o", str(folder / "out.v")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().startswith("IR after")  # the compile is under way
    assert process.poll() is None, "the compile ended before the signal"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == code, stderr
    assert stderr == f"fpga-opt: error: interrupted by {signal.Signals(signum).name}; no output written\n"
    assert not (folder / "out.v").exists() and leftovers(folder) == []


def test_double_dash_before_the_input(folder):
    outcome = run(["-o", str(folder / "out.mlir"), "--", str(folder / "in.mlir")], folder)
    assert outcome.code == 0, outcome.stderr
    assert "func.func @f" in (folder / "out.mlir").read_text()
