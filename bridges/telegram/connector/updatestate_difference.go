package connector

import (
	"context"
	"fmt"

	"github.com/gotd/td/telegram/updates"
	"github.com/gotd/td/tg"
)

// differenceAPI is the API the updates manager fetches differences through. gotd handles a
// difference's other updates (edits, deletes, pins, reads) before its new messages, each
// against the pts the difference started from: an edit whose pts lies after new messages of
// the same difference looks like a gap, waits, and is dropped as outdated once the difference's
// state is set. The stored pts stays behind updates still on a lane, so a restart often fetches
// a difference that holds both. differenceAPI therefore gives the other updates of the common
// sequence the pts the difference started from and a pts_count of 0: gotd applies them in
// their order, and the watermark holds them at that pts, as it holds the new messages.
type differenceAPI struct{ updates.API }

func (a differenceAPI) UpdatesGetDifference(ctx context.Context, req *tg.UpdatesGetDifferenceRequest) (tg.UpdatesDifferenceClass, error) {
	diff, err := a.API.UpdatesGetDifference(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("get difference: %w", err)
	}
	switch d := diff.(type) {
	case *tg.UpdatesDifference:
		d.OtherUpdates = atPts(d.OtherUpdates, req.Pts)
	case *tg.UpdatesDifferenceSlice:
		d.OtherUpdates = atPts(d.OtherUpdates, req.Pts)
	}
	return diff, nil
}

// atPts is updates with every update of the common pts sequence moved to pts with a pts_count
// of 0; the others are left alone.
func atPts(in []tg.UpdateClass, pts int) []tg.UpdateClass {
	out := make([]tg.UpdateClass, len(in))
	for i, u := range in {
		switch u := u.(type) {
		case *tg.UpdateNewMessage:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdateEditMessage:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdateDeleteMessages:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdatePinnedMessages:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdateReadHistoryOutbox:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdateReadHistoryInbox:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdateReadMessagesContents:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		case *tg.UpdateWebPage:
			c := *u
			c.Pts, c.PtsCount = pts, 0
			out[i] = &c
		default:
			out[i] = u
		}
	}
	return out
}
