package connector

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"
)

// SyncAll syncs every user who has people, one after another, and returns how many it synced.
// A user whose sync fails is logged and skipped; bridges that fail are named in each user's
// next `sync` answer as usual.
func (c *Connector) SyncAll(ctx context.Context) (int, error) {
	owners, err := c.Store.Owners(ctx)
	if err != nil {
		return 0, fmt.Errorf("sync everyone: %w", err)
	}
	done := 0
	for _, owner := range owners {
		if ctx.Err() != nil {
			break
		}
		rep, err := c.Sync(ctx, owner)
		if err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Stringer("owner", owner).Msg("Periodic sync of a user's people failed")
			continue
		}
		done++
		zerolog.Ctx(ctx).Debug().Stringer("owner", owner).Int("failed_bridges", len(rep.Failures)).Msg("Synced a user's people")
	}
	return done, nil
}

// startSyncing runs SyncAll every sync_every until Stop; with sync_every unset it does nothing.
func (c *Connector) startSyncing(ctx context.Context) error {
	every, err := c.Config.syncInterval()
	if err != nil || every <= 0 {
		return err
	}
	ctx, c.stopSyncing = context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if _, err := c.SyncAll(ctx); err != nil {
					zerolog.Ctx(ctx).Err(err).Msg("Periodic sync failed")
				}
			}
		}
	}()
	return nil
}

// Stop ends the periodic sync; bridgev2 calls it on shutdown.
func (c *Connector) Stop() {
	if c.stopSyncing != nil {
		c.stopSyncing()
	}
}
