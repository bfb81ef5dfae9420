package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake/demo"
)

func main() {
	var opts demo.Options
	out := flag.String("out", "tgdemo.json", "where to write the network's address, keys and login as JSON")
	flag.StringVar(&opts.Phone, "phone", demo.DefaultPhone, "phone number of the demo account (digits, no +)")
	flag.StringVar(&opts.Code, "code", demo.DefaultCode, "login code of the demo account")
	flag.DurationVar(&opts.Interval, "interval", demo.DefaultInterval, "time between the group's and the channel's posts")
	flag.Parse()

	log := zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr, NoColor: true}).With().Timestamp().Logger()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(log.WithContext(ctx), opts, *out); err != nil {
		fmt.Fprintln(os.Stderr, "tgdemo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, opts demo.Options, out string) error {
	d, err := demo.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer d.Close()
	if err = demo.WriteInfo(out, d.Info()); err != nil {
		return err
	}
	zerolog.Ctx(ctx).Info().Str("info", out).Str("phone", d.Phone()).Msg("Demo Telegram network is up")
	return d.Run(ctx)
}
