package connector

import (
	"encoding/json"
	"fmt"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/proto/waVnameCert"
	"go.mau.fi/whatsmeow/proto/waWeb"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
)

// journalledMessage is an events.Message as the journal stores it. Protobuf fields are kept as
// protobuf bytes (JSON cannot bring their oneofs back), everything else as JSON. Message and
// RawMessage are both kept: RawMessage is the wrapped original, Message what whatsmeow
// unwrapped from it, with the Is* flags saying how.
type journalledMessage struct {
	Info types.MessageInfo `json:"info"`
	// VerifiedName is cut out of Info: its certificate is protobuf.
	VerifiedCert    []byte `json:"verified_cert,omitempty"`
	VerifiedDetails []byte `json:"verified_details,omitempty"`
	VerifiedLevel   string `json:"verified_level,omitempty"`
	VerifiedVersion int    `json:"verified_version,omitempty"`
	HasVerifiedName bool   `json:"has_verified_name,omitempty"`

	Message      []byte `json:"message,omitempty"`
	RawMessage   []byte `json:"raw_message,omitempty"`
	SourceWebMsg []byte `json:"source_web_msg,omitempty"`

	IsEphemeral           bool `json:"is_ephemeral,omitempty"`
	IsViewOnce            bool `json:"is_view_once,omitempty"`
	IsViewOnceV2          bool `json:"is_view_once_v2,omitempty"`
	IsViewOnceV2Extension bool `json:"is_view_once_v2_extension,omitempty"`
	IsDocumentWithCaption bool `json:"is_document_with_caption,omitempty"`
	IsLottieSticker       bool `json:"is_lottie_sticker,omitempty"`
	IsBotInvoke           bool `json:"is_bot_invoke,omitempty"`
	IsEdit                bool `json:"is_edit,omitempty"`

	UnavailableRequestID types.MessageID               `json:"unavailable_request_id,omitempty"`
	RetryCount           int                           `json:"retry_count,omitempty"`
	NewsletterMeta       *events.NewsletterMessageMeta `json:"newsletter_meta,omitempty"`
}

// encodeMessage turns a whatsmeow message event into journal bytes.
func encodeMessage(evt *events.Message) ([]byte, error) {
	jm := journalledMessage{
		Info:                  evt.Info,
		IsEphemeral:           evt.IsEphemeral,
		IsViewOnce:            evt.IsViewOnce,
		IsViewOnceV2:          evt.IsViewOnceV2,
		IsViewOnceV2Extension: evt.IsViewOnceV2Extension,
		IsDocumentWithCaption: evt.IsDocumentWithCaption,
		IsLottieSticker:       evt.IsLottieSticker,
		IsBotInvoke:           evt.IsBotInvoke,
		IsEdit:                evt.IsEdit,
		UnavailableRequestID:  evt.UnavailableRequestID,
		RetryCount:            evt.RetryCount,
		NewsletterMeta:        evt.NewsletterMeta,
	}
	var err error
	if vn := evt.Info.VerifiedName; vn != nil {
		jm.Info.VerifiedName = nil
		jm.HasVerifiedName, jm.VerifiedLevel, jm.VerifiedVersion = true, vn.VerifiedLevel, vn.Version
		if jm.VerifiedCert, err = marshalProto(vn.Certificate); err != nil {
			return nil, err
		}
		if jm.VerifiedDetails, err = marshalProto(vn.Details); err != nil {
			return nil, err
		}
	}
	if jm.Message, err = marshalProto(evt.Message); err != nil {
		return nil, err
	}
	if jm.RawMessage, err = marshalProto(evt.RawMessage); err != nil {
		return nil, err
	}
	if jm.SourceWebMsg, err = marshalProto(evt.SourceWebMsg); err != nil {
		return nil, err
	}
	data, err := json.Marshal(&jm)
	if err != nil {
		return nil, fmt.Errorf("encode journalled message: %w", err)
	}
	return data, nil
}

// decodeMessage is the inverse of encodeMessage.
func decodeMessage(data []byte) (*events.Message, error) {
	var jm journalledMessage
	if err := json.Unmarshal(data, &jm); err != nil {
		return nil, fmt.Errorf("decode journalled message: %w", err)
	}
	evt := &events.Message{
		Info:                  jm.Info,
		IsEphemeral:           jm.IsEphemeral,
		IsViewOnce:            jm.IsViewOnce,
		IsViewOnceV2:          jm.IsViewOnceV2,
		IsViewOnceV2Extension: jm.IsViewOnceV2Extension,
		IsDocumentWithCaption: jm.IsDocumentWithCaption,
		IsLottieSticker:       jm.IsLottieSticker,
		IsBotInvoke:           jm.IsBotInvoke,
		IsEdit:                jm.IsEdit,
		UnavailableRequestID:  jm.UnavailableRequestID,
		RetryCount:            jm.RetryCount,
		NewsletterMeta:        jm.NewsletterMeta,
	}
	var err error
	if jm.HasVerifiedName {
		vn := &types.VerifiedName{VerifiedLevel: jm.VerifiedLevel, Version: jm.VerifiedVersion}
		if vn.Certificate, err = unmarshalProto[waVnameCert.VerifiedNameCertificate](jm.VerifiedCert); err != nil {
			return nil, err
		}
		if vn.Details, err = unmarshalProto[waVnameCert.VerifiedNameCertificate_Details](jm.VerifiedDetails); err != nil {
			return nil, err
		}
		evt.Info.VerifiedName = vn
	}
	if evt.Message, err = unmarshalProto[waE2E.Message](jm.Message); err != nil {
		return nil, err
	}
	if evt.RawMessage, err = unmarshalProto[waE2E.Message](jm.RawMessage); err != nil {
		return nil, err
	}
	if evt.SourceWebMsg, err = unmarshalProto[waWeb.WebMessageInfo](jm.SourceWebMsg); err != nil {
		return nil, err
	}
	return evt, nil
}

// marshalProto encodes m; a nil message is nil bytes, an empty one a non-nil empty slice, so
// that the two stay apart.
func marshalProto[M proto.Message](m M) ([]byte, error) {
	if !m.ProtoReflect().IsValid() {
		return nil, nil
	}
	data, err := proto.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", m.ProtoReflect().Descriptor().FullName(), err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// unmarshalProto decodes what marshalProto encoded: nil bytes are a nil message.
func unmarshalProto[T any, M interface {
	*T
	proto.Message
}](data []byte) (M, error) {
	if data == nil {
		return nil, nil
	}
	m := M(new(T))
	if err := proto.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("decode %s: %w", m.ProtoReflect().Descriptor().FullName(), err)
	}
	return m, nil
}
