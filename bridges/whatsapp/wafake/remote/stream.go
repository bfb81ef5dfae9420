package remote

import (
	"context"
	"fmt"
	"net/http"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/wafake"
)

// openStream opens the event stream if it is not open, and returns once the server has it.
func (c *Client) openStream(ctx context.Context) error {
	id, err := c.session(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	open := c.stream != nil
	c.mu.Unlock()
	if open {
		return nil
	}
	sctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(sctx, http.MethodGet, c.base+"/clients/"+id+"/events", nil)
	if err != nil {
		cancel()
		return fmt.Errorf("build event stream request: %w", err)
	}
	res, err := c.http.Do(req)
	if err != nil {
		cancel()
		return fmt.Errorf("open fake WhatsApp event stream: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		cancel()
		return fmt.Errorf("open fake WhatsApp event stream: status %d", res.StatusCode)
	}
	c.mu.Lock()
	c.stream = cancel
	c.mu.Unlock()
	go func() {
		defer res.Body.Close()
		err := readLines(res.Body, func(f wafake.Frame) {
			ok := c.handleFrame(f)
			if err := c.post(context.Background(), "/clients/"+id+"/ack", wafake.Ack{Seq: f.Seq, OK: ok}, nil); err != nil {
				c.log.Warnf("Failed to acknowledge fake WhatsApp event %d: %v", f.Seq, err)
			}
		})
		if sctx.Err() == nil {
			c.log.Warnf("Fake WhatsApp event stream ended: %v", err)
		}
		c.mu.Lock()
		mine := c.stream != nil && sctx.Err() == nil
		if mine {
			c.stream = nil
		}
		c.mu.Unlock()
		cancel()
		if mine {
			c.lost()
		}
	}()
	return nil
}

// handleFrame applies one frame and reports whether the handlers took it.
func (c *Client) handleFrame(f wafake.Frame) bool {
	switch f.Kind {
	case wafake.FrameMessage:
		msg := &waE2E.Message{}
		if f.Info == nil || proto.Unmarshal(f.Message, msg) != nil {
			c.log.Errorf("Dropping unreadable fake WhatsApp message %d", f.Seq)
			return true
		}
		return c.dispatch(&events.Message{Info: *f.Info, Message: msg, RawMessage: msg})
	case wafake.FrameConnected:
		c.mu.Lock()
		c.connected, c.closed = true, false
		c.mu.Unlock()
		return c.dispatch(&events.Connected{})
	case wafake.FrameDisconnected:
		c.lost()
		return true
	case wafake.FramePairSuccess:
		return c.dispatch(&events.PairSuccess{ID: f.JID, Platform: f.Platform})
	case wafake.FrameLoggedOut:
		c.mu.Lock()
		c.connected = false
		c.mu.Unlock()
		return c.dispatch(&events.LoggedOut{})
	case wafake.FrameQR:
		c.qrItem(f.QR)
		return true
	case wafake.FrameDevice:
		if err := c.savePaired(f.JID, f.PushName); err != nil {
			c.log.Errorf("%v", err)
			return false
		}
		return true
	case wafake.FrameDeleteDevice:
		if err := c.device.Delete(context.Background()); err != nil {
			c.log.Errorf("Failed to delete the logged-out device: %v", err)
			return false
		}
		return true
	}
	c.log.Warnf("Ignoring fake WhatsApp frame of kind %q", f.Kind)
	return true
}

// qrItem passes an item of the pairing channel on; the last one closes the channel.
func (c *Client) qrItem(item *wafake.QRItem) {
	if item == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.qr == nil {
		return
	}
	c.qr <- whatsmeow.QRChannelItem{Event: item.Event, Code: item.Code, Timeout: item.Timeout}
	if item.Event != whatsmeow.QRChannelEventCode {
		close(c.qr)
		c.qr = nil
	}
}
