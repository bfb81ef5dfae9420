//go:build integration

package connector

import (
	"context"

	"go.mau.fi/whatsmeow/types/events"
)

// JournalMessage journals evt for the login as the whatsmeow handler does, without bridging
// it: what the bridge leaves behind when it is killed after acknowledging a message.
func JournalMessage(ctx context.Context, c *Connector, login string, evt *events.Message) error {
	data, err := encodeMessage(evt)
	if err != nil {
		return err
	}
	_, err = c.Journal.Put(ctx, login, laneKey(evt.Info.Chat), data)
	return err
}
