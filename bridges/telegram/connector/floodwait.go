package connector

import (
	"context"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/telegram"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/rs/zerolog"
)

// Flood-wait policy: Telegram answers FLOOD_WAIT_X when a client sends too fast. The bridge
// waits X seconds and tries again, up to floodMaxWait per wait and floodMaxRetries times;
// longer waits fail the request (and the Matrix sender is told) instead of stalling the chat.
const (
	floodMaxWait    = 60 * time.Second
	floodMaxRetries = 3
)

// floodWait is a gotd middleware that honours FLOOD_WAIT errors.
func floodWait(sleep func(context.Context, time.Duration) error) telegram.Middleware {
	return telegram.MiddlewareFunc(func(next tg.Invoker) telegram.InvokeFunc {
		return func(ctx context.Context, input bin.Encoder, output bin.Decoder) error {
			for attempt := 0; ; attempt++ {
				err := next.Invoke(ctx, input, output)
				wait, ok := tgerr.AsFloodWait(err)
				if !ok || attempt >= floodMaxRetries || wait > floodMaxWait {
					return err
				}
				zerolog.Ctx(ctx).Warn().Dur("wait", wait).Int("attempt", attempt+1).Msg("Telegram asked to slow down (FLOOD_WAIT); waiting")
				if err := sleep(ctx, wait); err != nil {
					return err
				}
			}
		}
	})
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
