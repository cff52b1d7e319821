package localkmstest

import (
	"os/exec"
	"syscall"
)

// setParentDeathSignal kills local-kms if the test process dies without
// running its cleanups.
func setParentDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
