package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

type bridgeList []string

func (b *bridgeList) String() string     { return fmt.Sprint(*b) }
func (b *bridgeList) Set(v string) error { *b = append(*b, v); return nil }

func main() {
	var opts options
	flag.Var(&opts.bridges, "bridge", "path of a bridge binary to run (repeatable)")
	flag.IntVar(&opts.port, "port", 8008, "homeserver port on 127.0.0.1 (a free one is picked if it is taken)")
	flag.StringVar(&opts.user, "user", "dev", "localpart of the Matrix user to create")
	flag.StringVar(&opts.password, "password", "dev-password", "password of that user")
	flag.StringVar(&opts.demo, "telegram-demo", "", "path of tgdemo: run a demo Telegram network and point the Telegram bridge at it")
	flag.DurationVar(&opts.demoInterval, "demo-interval", 0, "time between the demo group's and channel's posts (0: tgdemo's default)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts, os.Stdout, nil); err != nil {
		fmt.Fprintln(os.Stderr, "devstack:", err)
		os.Exit(1)
	}
}
