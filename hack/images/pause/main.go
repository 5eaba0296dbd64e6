// Command pause is the sandbox ("pause") container of Branchflow's local Kubernetes node: the
// process that holds a pod's namespaces open. Nothing can be pulled on the machines the project is
// developed on, so hack/images.sh builds it from this file as a static binary and packs it as a
// one-layer image (branchflow.local/pause:1).
//
// It sleeps until SIGTERM or SIGINT (then exits 0) and reaps every child that is re-parented to it
// (it is PID 1 of the pod's PID namespace when the pod shares one), like Kubernetes' own pause.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) > 1 && (os.Args[1] == "-v" || os.Args[1] == "--version") {
		fmt.Println("branchflow pause 1")
		return
	}
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for sig := range signals {
		switch sig {
		case syscall.SIGCHLD:
			reap()
		default:
			fmt.Fprintf(os.Stderr, "pause: %v, exiting\n", sig)
			os.Exit(0)
		}
	}
}

// reap collects every exited child without blocking.
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
