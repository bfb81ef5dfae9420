package wa

import (
	"context"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"
)

// Client is the part of *whatsmeow.Client the connector uses. Every method keeps whatsmeow's
// contract: see the whatsmeow documentation of the method of the same name.
type Client interface {
	// Connection and session.
	Connect() error
	Disconnect()
	IsConnected() bool
	IsLoggedIn() bool
	Logout(ctx context.Context) error
	// AddEventHandlerWithSuccessStatus: a handler that returns false leaves the event
	// unacknowledged, so WhatsApp delivers it again (with SynchronousAck, which New sets).
	AddEventHandlerWithSuccessStatus(handler whatsmeow.EventHandlerWithSuccessStatus) uint32
	RemoveEventHandler(id uint32) bool

	// Pairing. GetQRChannel must be called before Connect; PairPhone after the first QR code.
	GetQRChannel(ctx context.Context) (<-chan whatsmeow.QRChannelItem, error)
	PairPhone(ctx context.Context, phone string, showPushNotification bool, clientType whatsmeow.PairClientType, clientDisplayName string) (string, error)

	// Messages.
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	BuildEdit(chat types.JID, id types.MessageID, newContent *waE2E.Message) *waE2E.Message
	BuildRevoke(chat, sender types.JID, id types.MessageID) *waE2E.Message
	BuildReaction(chat, sender types.JID, id types.MessageID, reaction string) *waE2E.Message
	ParseWebMessage(chatJID types.JID, webMsg *waWeb.WebMessageInfo) (*events.Message, error)
	BuildPollCreation(name string, optionNames []string, selectableOptionCount int) *waE2E.Message
	BuildPollVote(ctx context.Context, pollInfo *types.MessageInfo, optionNames []string) (*waE2E.Message, error)
	DecryptPollVote(ctx context.Context, vote *events.Message) (*waE2E.PollVoteMessage, error)
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, receiptTypeExtra ...types.ReceiptType) error
	SubscribePresence(ctx context.Context, jid types.JID) error
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error

	// Media.
	Upload(ctx context.Context, plaintext []byte, appInfo whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
	Download(ctx context.Context, msg whatsmeow.DownloadableMessage) ([]byte, error)

	// Chats and contacts.
	GetGroupInfo(ctx context.Context, jid types.JID) (*types.GroupInfo, error)
	CreateGroup(ctx context.Context, req whatsmeow.ReqCreateGroup) (*types.GroupInfo, error)
	SetGroupName(ctx context.Context, jid types.JID, name string) error
	SetGroupPhoto(ctx context.Context, jid types.JID, avatar []byte) (string, error)
	GetProfilePictureInfo(ctx context.Context, jid types.JID, params *whatsmeow.GetProfilePictureParams) (*types.ProfilePictureInfo, error)
	SetDisappearingTimer(ctx context.Context, chat types.JID, timer time.Duration, settingTS time.Time) error
	SetGroupTopic(ctx context.Context, jid types.JID, previousID, newID, topic string) error
	UpdateGroupParticipants(ctx context.Context, jid types.JID, participantChanges []types.JID, action whatsmeow.ParticipantChange) ([]types.GroupParticipant, error)
	GetUserInfo(ctx context.Context, jids []types.JID) (map[types.JID]types.UserInfo, error)
	IsOnWhatsApp(ctx context.Context, phones []string) ([]types.IsOnWhatsAppResponse, error)
}

var _ Client = (*whatsmeow.Client)(nil)

// NewFunc creates the Client of one device. Production code uses [New]; tests inject a fake.
type NewFunc func(device *store.Device, log waLog.Logger) Client

// New returns a real whatsmeow client for the device.
func New(device *store.Device, log waLog.Logger) Client {
	cli := whatsmeow.NewClient(device, log)
	// Acknowledge a message only once the handler has bridged it, and keep its plaintext
	// so that a redelivery of a message the handler failed can be decrypted again.
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	return cli
}
