package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  mxbridges init --homeserver URL --domain DOMAIN [--db URI] [--bridges whatsapp,telegram]
                 [--admin @you:DOMAIN] [--bin DIR] [--port N] --out DIR
  mxbridges doctor DIR
  mxbridges status DIR
  mxbridges entrypoint [BRIDGE]   (in the container images)
  mxbridges health [CONFIG]       (the images' healthcheck)
`

// errFailed is returned when a command ran but found something wrong; it has printed why.
var errFailed = errors.New("checks failed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errFailed) {
			fmt.Fprintln(os.Stderr, "mxbridges:", err)
		}
		os.Exit(1)
	}
}

// run dispatches a command line; out gets results, errOut usage and progress.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(errOut, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "init":
		return runInit(ctx, args[1:], out, errOut)
	case "doctor":
		return runDoctor(ctx, args[1:], out, errOut)
	case "entrypoint":
		return runEntrypoint(ctx, args[1:], out, errOut)
	case "health":
		return runHealth(ctx, args[1:], out, errOut)
	case "status":
		return runStatus(ctx, args[1:], out, errOut)
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	fmt.Fprint(errOut, usage)
	return fmt.Errorf("unknown command %q", args[0])
}
