package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"maunium.net/go/mautrix/bridgev2"
	"maunium.net/go/mautrix/bridgev2/networkid"
	"maunium.net/go/mautrix/bridgev2/simplevent"

	"github.com/mxbridges/mxbridges/bridges/whatsapp/ids"
)

var _ bridgev2.RoomAvatarHandlingNetworkAPI = (*Client)(nil)

// maxAvatarSize bounds a profile picture download; WhatsApp's are well under 1 MiB.
const maxAvatarSize = 8 << 20

var avatarHTTP = &http.Client{Timeout: 30 * time.Second}

// avatar is the current picture of a user or group, nil if WhatsApp does not tell us (hidden
// by the person's privacy settings, or not connected).
func (wc *Client) avatar(ctx context.Context, jid types.JID) *bridgev2.Avatar {
	if wc.wa == nil {
		return nil
	}
	info, err := wc.wa.GetProfilePictureInfo(ctx, jid, &whatsmeow.GetProfilePictureParams{})
	switch {
	case errors.Is(err, whatsmeow.ErrProfilePictureNotSet):
		return &bridgev2.Avatar{ID: "remove", Remove: true}
	case err != nil || info == nil:
		if err != nil && !errors.Is(err, whatsmeow.ErrProfilePictureUnauthorized) {
			field := "user_id"
			if jid.Server == types.GroupServer {
				field = "chat_id"
			}
			zerolog.Ctx(ctx).Debug().Err(err).Stringer(field, jid).Msg("Failed to get profile picture")
		}
		return nil
	}
	url := info.URL
	return &bridgev2.Avatar{
		ID:  networkid.AvatarID(info.ID),
		Get: func(ctx context.Context) ([]byte, error) { return downloadAvatar(ctx, url) },
	}
}

func downloadAvatar(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("build avatar request: %w", err)
	}
	resp, err := avatarHTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download avatar: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download avatar: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAvatarSize+1))
	if err != nil {
		return nil, fmt.Errorf("read avatar: %w", err)
	}
	if len(data) > maxAvatarSize {
		return nil, fmt.Errorf("avatar larger than %d bytes", maxAvatarSize)
	}
	return data, nil
}

// handlePicture bridges a changed profile or group picture.
func (wc *Client) handlePicture(ctx context.Context, evt *events.Picture) {
	avatar := &bridgev2.Avatar{ID: "remove", Remove: true}
	if !evt.Remove {
		if avatar = wc.avatar(ctx, evt.JID); avatar == nil {
			return
		}
	}
	if evt.JID.Server == types.GroupServer {
		wc.queue(ctx, &simplevent.ChatInfoChange{
			EventMeta: simplevent.EventMeta{
				Type:      bridgev2.RemoteEventChatInfoChange,
				PortalKey: ids.PortalKey(evt.JID, wc.login.ID),
				Sender:    wc.sender(evt.Author, evt.Author.ToNonAD() == wc.ownJID()),
				Timestamp: evt.Timestamp,
			},
			ChatInfoChange: &bridgev2.ChatInfoChange{ChatInfo: &bridgev2.ChatInfo{Avatar: avatar}},
		})
		return
	}
	ghost, err := wc.conn.Bridge.GetGhostByID(ctx, ids.UserID(evt.JID))
	if err != nil {
		zerolog.Ctx(ctx).Err(err).Stringer("user_id", evt.JID).Msg("Failed to get ghost for picture change")
		return
	}
	ghost.UpdateInfo(ctx, &bridgev2.UserInfo{Avatar: avatar})
}

// HandleMatrixRoomAvatar sets (or removes) a group's picture. WhatsApp expects a JPEG.
func (wc *Client) HandleMatrixRoomAvatar(ctx context.Context, msg *bridgev2.MatrixRoomAvatar) (bool, error) {
	jid, err := groupJID(msg.Portal)
	if err != nil || wc.wa == nil {
		return false, errors.Join(err, notConnectedIfNil(wc))
	}
	var data []byte
	if msg.Content.URL != "" {
		if data, err = wc.conn.Bridge.Bot.DownloadMedia(ctx, msg.Content.URL, nil); err != nil {
			return false, errMatrixDownload(err)
		}
	}
	pictureID, err := wc.wa.SetGroupPhoto(ctx, jid, data)
	if err != nil {
		return false, sendFailed(err)
	}
	msg.Portal.AvatarID = networkid.AvatarID(pictureID)
	msg.Portal.AvatarMXC = msg.Content.URL
	return true, nil
}
