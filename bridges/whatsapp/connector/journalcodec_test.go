package connector

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waVnameCert"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"
)

func TestJournalCodecRoundTrip(t *testing.T) {
	chat := types.NewJID("120363000000000001", types.GroupServer)
	sender := types.NewJID("4915100001", types.DefaultUserServer)
	info := types.MessageInfo{
		MessageSource: types.MessageSource{
			Chat: chat, Sender: sender, IsGroup: true,
			AddressingMode: types.AddressingModeLID,
			SenderAlt:      types.NewJID("1234567", types.HiddenUserServer),
		},
		ID: "3EB0ABCDEF", ServerID: 42, Type: "text", PushName: "Anna",
		Timestamp: time.Unix(1764700000, 0).UTC(), Category: "peer", MediaType: "image",
		Edit:        types.EditAttributeMessageEdit,
		MsgMetaInfo: types.MsgMetaInfo{ThreadMessageID: "3EB0THREAD", ThreadMessageSenderJID: sender},
		VerifiedName: &types.VerifiedName{
			Certificate:   &waVnameCert.VerifiedNameCertificate{Details: []byte{1, 2}, Signature: []byte{3}},
			Details:       &waVnameCert.VerifiedNameCertificate_Details{VerifiedName: proto.String("Shop")},
			VerifiedLevel: "high", Version: 2,
		},
		DeviceSentMeta: &types.DeviceSentMeta{DestinationJID: "49151@s.whatsapp.net", Phash: "2:abc"},
	}
	text := &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
		Text: proto.String("hello *you*"),
		ContextInfo: &waE2E.ContextInfo{
			StanzaID: proto.String("3EB0QUOTED"), Participant: proto.String(sender.String()),
			QuotedMessage: &waE2E.Message{Conversation: proto.String("quoted")},
			MentionedJID:  []string{sender.String()},
		},
	}}
	image := &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
		Mimetype: proto.String("image/jpeg"), Caption: proto.String("pic"), FileLength: proto.Uint64(1234),
		MediaKey: []byte{9, 9, 9}, FileSHA256: []byte{1}, DirectPath: proto.String("/v/t62/abc"),
		ViewOnce: proto.Bool(true),
	}}
	tests := []struct {
		name string
		evt  *events.Message
	}{
		{"plain text", &events.Message{
			Info:       types.MessageInfo{MessageSource: types.MessageSource{Chat: sender, Sender: sender}, ID: "1", Timestamp: time.Unix(5, 0).UTC()},
			Message:    &waE2E.Message{Conversation: proto.String("hi")},
			RawMessage: &waE2E.Message{Conversation: proto.String("hi")},
		}},
		{"everything set", &events.Message{
			Info: info, Message: text,
			RawMessage:  &waE2E.Message{EphemeralMessage: &waE2E.FutureProofMessage{Message: text}},
			IsEphemeral: true, IsEdit: true, IsBotInvoke: true, IsLottieSticker: true, IsDocumentWithCaption: true,
			SourceWebMsg: &waWeb.WebMessageInfo{
				Key:     &waCommon.MessageKey{RemoteJID: proto.String(chat.String()), ID: proto.String("3EB0ABCDEF")},
				Message: text, MessageTimestamp: proto.Uint64(1764700000),
			},
			UnavailableRequestID: "REQ1", RetryCount: 2,
			NewsletterMeta: &events.NewsletterMessageMeta{EditTS: time.Unix(10, 0).UTC(), OriginalTS: time.Unix(9, 0).UTC()},
		}},
		{"view once image, unwrapped", (&events.Message{
			Info:       info,
			RawMessage: &waE2E.Message{ViewOnceMessageV2: &waE2E.FutureProofMessage{Message: image}},
		}).UnwrapRaw()},
		{"reaction", &events.Message{
			Info: info,
			Message: &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
				Key: &waCommon.MessageKey{ID: proto.String("3EB0T"), FromMe: proto.Bool(true)}, Text: proto.String("👍"),
			}},
		}},
		{"no message at all", &events.Message{Info: info}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hadName := tt.evt.Info.VerifiedName != nil
			data, err := encodeMessage(tt.evt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeMessage(data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.evt, got, protocmp.Transform()); diff != "" {
				t.Fatalf("round trip changed the event (-want +got):\n%s", diff)
			}
			if hadName && tt.evt.Info.VerifiedName == nil {
				t.Fatal("encodeMessage changed the event it was given")
			}
		})
	}
}

func TestDecodeMessageRejectsGarbage(t *testing.T) {
	for _, data := range [][]byte{nil, []byte("{"), []byte(`{"message":"AAAA"}`)} {
		if _, err := decodeMessage(data); err == nil {
			t.Errorf("decodeMessage(%q) accepted it", data)
		}
	}
}
