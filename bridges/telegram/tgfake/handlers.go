package tgfake

import (
	"fmt"
	"slices"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"github.com/gotd/td/tgerr"
	"github.com/gotd/td/tgtest"
)

// register installs the methods the bridge uses; anything else answers "not implemented".
func (n *Network) register(d *tgtest.Dispatcher) {
	d.HandleFunc(tg.MessagesGetFullChatRequestTypeID, n.getFullChat)
	d.HandleFunc(tg.ContactsResolveUsernameRequestTypeID, n.resolveUsername)
	d.HandleFunc(tg.ContactsResolvePhoneRequestTypeID, n.resolvePhone)
	d.HandleFunc(tg.ContactsGetContactsRequestTypeID, n.getContacts)
	d.HandleFunc(tg.MessagesEditChatTitleRequestTypeID, n.editChatTitle)
	d.HandleFunc(tg.MessagesEditChatAboutRequestTypeID, n.editChatAbout)
	d.HandleFunc(tg.MessagesAddChatUserRequestTypeID, n.addChatUser)
	d.HandleFunc(tg.MessagesDeleteChatUserRequestTypeID, n.deleteChatUser)
	d.HandleFunc(tg.MessagesSendReactionRequestTypeID, n.sendReaction)
	d.HandleFunc(tg.MessagesGetCustomEmojiDocumentsRequestTypeID, n.getCustomEmojiDocuments)
	d.HandleFunc(tg.MessagesUpdatePinnedMessageRequestTypeID, n.updatePinnedMessage)
	d.HandleFunc(tg.MessagesEditChatPhotoRequestTypeID, n.editChatPhoto)
	n.registerHistory(d)
	n.registerChannels(d)
	n.registerCreate(d)
	n.registerMedia(d)
	n.registerPolls(d)
	d.HandleFunc(tg.AuthSendCodeRequestTypeID, n.sendCode)
	d.HandleFunc(tg.AuthSignInRequestTypeID, n.signIn)
	d.HandleFunc(tg.AuthLogOutRequestTypeID, n.logOut)
	d.HandleFunc(tg.UsersGetUsersRequestTypeID, n.getUsers)
	d.HandleFunc(tg.MessagesSendMessageRequestTypeID, n.sendMessage)
	d.HandleFunc(tg.UpdatesGetStateRequestTypeID, n.getState)
	d.HandleFunc(tg.UpdatesGetDifferenceRequestTypeID, n.getDifference)
	d.HandleFunc(tg.MessagesEditMessageRequestTypeID, n.editMessage)
	d.HandleFunc(tg.AccountGetPasswordRequestTypeID, n.getPassword)
	d.HandleFunc(tg.AuthExportLoginTokenRequestTypeID, n.exportLoginToken)
	d.HandleFunc(tg.AuthImportBotAuthorizationRequestTypeID, n.importBotAuthorization)
	d.HandleFunc(tg.MessagesReadHistoryRequestTypeID, n.readHistory)
	d.HandleFunc(tg.MessagesSetTypingRequestTypeID, n.setTyping)
	d.HandleFunc(tg.AuthCheckPasswordRequestTypeID, n.checkPassword)
	d.HandleFunc(tg.MessagesDeleteMessagesRequestTypeID, n.deleteMessages)
}

func decode(req *tgtest.Request, into bin.Decoder) error { return into.Decode(req.Buf) }

// caller decodes a request into r and returns the logged-in user making it. When ok is false
// the handler returns err: a decode error, or the result of answering AUTH_KEY_UNREGISTERED.
func (n *Network) caller(s *tgtest.Server, req *tgtest.Request, r bin.Decoder) (me *tg.User, ok bool, err error) {
	if err := decode(req, r); err != nil {
		return nil, false, err
	}
	if me, ok = n.self(req); !ok {
		return nil, false, s.SendErr(req, tgerr.New(401, "AUTH_KEY_UNREGISTERED"))
	}
	return me, true, nil
}

// self returns the user bound to the request's auth key, remembering the session for pushes.
func (n *Network) self(req *tgtest.Request) (*tg.User, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	id, ok := n.bound[req.Session.AuthKey.ID]
	if !ok {
		return nil, false
	}
	n.sessions[id] = req.Session
	return n.users[id], true
}

func (n *Network) sendCode(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.AuthSendCodeRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	n.mu.Lock()
	_, ok := n.accounts[r.PhoneNumber]
	n.mu.Unlock()
	if !ok {
		return s.SendErr(req, tgerr.New(400, "PHONE_NUMBER_INVALID"))
	}
	return s.SendResult(req, &tg.AuthSentCode{Type: &tg.AuthSentCodeTypeApp{Length: 5}, PhoneCodeHash: "hash-" + r.PhoneNumber})
}

func (n *Network) signIn(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.AuthSignInRequest
	if err := decode(req, &r); err != nil {
		return err
	}
	n.mu.Lock()
	acct, ok := n.accounts[r.PhoneNumber]
	n.mu.Unlock()
	switch {
	case !ok || r.PhoneCodeHash != "hash-"+r.PhoneNumber:
		return s.SendErr(req, tgerr.New(400, "PHONE_CODE_EXPIRED"))
	case r.PhoneCode != acct.Code:
		return s.SendErr(req, tgerr.New(400, "PHONE_CODE_INVALID"))
	}
	if acct.Password != "" {
		n.mu.Lock()
		n.pending[req.Session.AuthKey.ID] = acct
		n.mu.Unlock()
		return s.SendErr(req, tgerr.New(401, "SESSION_PASSWORD_NEEDED"))
	}
	return n.authorize(s, req, acct)
}

// authorize logs the request's auth key in as acct.
func (n *Network) authorize(s *tgtest.Server, req *tgtest.Request, acct *Account) error {
	return n.authorizeResult(s, req, acct, false)
}

// authorizeResult logs in and answers with an authorization, wrapped as a login-token
// success for QR logins.
func (n *Network) authorizeResult(s *tgtest.Server, req *tgtest.Request, acct *Account, viaQR bool) error {
	n.mu.Lock()
	n.bound[req.Session.AuthKey.ID] = acct.User.ID
	n.sessions[acct.User.ID] = req.Session
	delete(n.pending, req.Session.AuthKey.ID)
	delete(n.challenges, req.Session.AuthKey.ID)
	n.mu.Unlock()
	me := *acct.User
	me.Self = true
	me.SetFlags()
	authz := &tg.AuthAuthorization{User: &me}
	if viaQR {
		return s.SendResult(req, &tg.AuthLoginTokenSuccess{Authorization: authz})
	}
	return s.SendResult(req, authz)
}

func (n *Network) logOut(s *tgtest.Server, req *tgtest.Request) error {
	n.mu.Lock()
	delete(n.bound, req.Session.AuthKey.ID)
	n.mu.Unlock()
	return s.SendResult(req, &tg.AuthLoggedOut{})
}

// getUsers describes the caller (inputUserSelf) and the users named with their access hash.
func (n *Network) getUsers(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.UsersGetUsersRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	var out []bin.Encoder
	for _, in := range r.ID {
		switch in := in.(type) {
		case *tg.InputUserSelf:
			self := *me
			self.Self = true
			self.SetFlags()
			out = append(out, &self)
		case *tg.InputUser:
			n.mu.Lock()
			u, known := n.users[in.UserID]
			n.mu.Unlock()
			if known && u.AccessHash == in.AccessHash {
				copied := *u
				out = append(out, &copied)
			}
		}
	}
	return s.SendVector(req, out...)
}

func (n *Network) getState(s *tgtest.Server, req *tgtest.Request) error {
	me, ok := n.self(req)
	if !ok {
		return s.SendErr(req, tgerr.New(401, "AUTH_KEY_UNREGISTERED"))
	}
	n.mu.Lock()
	pts := n.pts[me.ID]
	n.mu.Unlock()
	return s.SendResult(req, &tg.UpdatesState{Pts: pts, Seq: 0, Date: int(time.Now().Unix())})
}

func (n *Network) sendMessage(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesSendMessageRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	if n.randomIDTaken(me.ID, r.RandomID) {
		return s.SendErr(req, tgerr.New(500, "RANDOM_ID_DUPLICATE"))
	}
	switch p := r.Peer.(type) {
	case *tg.InputPeerChat:
		return n.sendToChat(s, req, me, p.ChatID, &r)
	case *tg.InputPeerChannel:
		return n.sendToChannel(s, req, me, p, &r)
	}
	peer, ok := r.Peer.(*tg.InputPeerUser)
	if !ok {
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	n.mu.Lock()
	if n.floodSends > 0 {
		n.floodSends--
		seconds := n.floodSeconds
		n.mu.Unlock()
		return s.SendErr(req, tgerr.New(420, fmt.Sprintf("FLOOD_WAIT_%d", seconds)))
	}
	target, known := n.users[peer.UserID]
	n.nextMsg[me.ID]++
	id := n.nextMsg[me.ID]
	n.mu.Unlock()
	if !known || target.AccessHash != peer.AccessHash {
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	replyTo := 0
	if rt, ok := r.ReplyTo.(*tg.InputReplyToMessage); ok {
		replyTo = rt.ReplyToMsgID
	}
	out := &tg.Message{ID: id, Out: true, PeerID: &tg.PeerUser{UserID: peer.UserID}, FromID: &tg.PeerUser{UserID: me.ID}, Message: r.Message, Entities: r.Entities, Date: int(time.Now().Unix())}
	out.SetFlags()
	n.record(me.ID, peer.UserID, out)
	n.takeRandomID(me.ID, r.RandomID)
	n.mu.Lock()
	pts, count := n.own(me.ID, []tg.UserClass{target}, &tg.UpdateNewMessage{Message: out})
	n.mu.Unlock()
	n.sent <- Sent{Kind: "message", From: me.ID, To: peer.UserID, ID: id, Text: r.Message, ReplyTo: replyTo, Entities: r.Entities}
	n.holdAnswer()
	return s.SendResult(req, &tg.UpdateShortSentMessage{ID: id, Date: out.Date, Out: true, Pts: pts, PtsCount: count})
}

func (n *Network) editMessage(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesEditMessageRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	sent := Sent{Kind: "edit", From: me.ID, ID: r.ID, Text: r.Message}
	var key int64 // the chat's key in history (see getHistory)
	var peerID tg.PeerClass
	switch peer := r.Peer.(type) {
	case *tg.InputPeerChannel:
		return n.editChannelMessage(s, req, me, peer, &r)
	case *tg.InputPeerUser:
		key, peerID, sent.To = peer.UserID, &tg.PeerUser{UserID: peer.UserID}, peer.UserID
	case *tg.InputPeerChat:
		if _, ok := n.chatOf(me, peer.ChatID); !ok {
			return s.SendErr(req, tgerr.New(400, "CHAT_ID_INVALID"))
		}
		key, peerID, sent.ToChat = -peer.ChatID, &tg.PeerChat{ChatID: peer.ChatID}, peer.ChatID
	default:
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	now := int(time.Now().Unix())
	n.mu.Lock()
	// The edited message as Telegram announces it: the kept one with its new text, or (for a
	// message the fake did not keep, such as sent media) one made from the request.
	// Kept messages are replaced, not changed: answers being encoded may still hold the old.
	edited := tg.Message{ID: r.ID, Out: true, PeerID: peerID, FromID: &tg.PeerUser{UserID: me.ID}, Date: now}
	kept := n.history.chats[me.ID][key]
	i := slices.IndexFunc(kept, func(m *tg.Message) bool { return m.ID == r.ID })
	if i >= 0 {
		edited = *kept[i]
	}
	edited.Message, edited.Entities, edited.EditDate = r.Message, r.Entities, now
	edited.SetFlags()
	if i >= 0 {
		kept[i] = &edited
	}
	users, chats := n.peerEntities(me, key)
	c := edited
	u := &tg.UpdateEditMessage{Message: &c}
	n.own(me.ID, users, u)
	n.mu.Unlock()
	n.sent <- sent
	return s.SendResult(req, &tg.Updates{Updates: []tg.UpdateClass{u}, Users: users, Chats: chats, Date: now})
}

// peerEntities are the users and chats an update about a chat of the account names: the
// account, and the other user or the basic group (key as in history). Callers hold n.mu.
func (n *Network) peerEntities(me *tg.User, key int64) ([]tg.UserClass, []tg.ChatClass) {
	users := []tg.UserClass{me}
	if key > 0 {
		if u := n.users[key]; u != nil {
			users = append(users, u)
		}
		return users, nil
	}
	if fc := n.chats[-key]; fc != nil {
		return users, []tg.ChatClass{fc.chat}
	}
	return users, nil
}

// deleteMessages deletes messages of the account's private chats and basic groups: Telegram
// numbers the deletion in the account's pts and answers with it.
func (n *Network) deleteMessages(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesDeleteMessagesRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	n.mu.Lock()
	pts, count := n.own(me.ID, nil, &tg.UpdateDeleteMessages{Messages: append([]int(nil), r.ID...)})
	n.mu.Unlock()
	n.sent <- Sent{Kind: "delete", From: me.ID, IDs: r.ID}
	return s.SendResult(req, &tg.MessagesAffectedMessages{Pts: pts, PtsCount: count})
}

// readHistory marks a private chat or basic group read: Telegram numbers the read in the
// account's pts and answers with it.
func (n *Network) readHistory(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesReadHistoryRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	to, peer := int64(0), tg.PeerClass(nil)
	switch p := r.Peer.(type) {
	case *tg.InputPeerUser:
		to, peer = p.UserID, &tg.PeerUser{UserID: p.UserID}
	case *tg.InputPeerChat:
		peer = &tg.PeerChat{ChatID: p.ChatID}
	default:
		return s.SendErr(req, tgerr.New(400, "PEER_ID_INVALID"))
	}
	n.mu.Lock()
	pts, count := n.own(me.ID, nil, &tg.UpdateReadHistoryInbox{Peer: peer, MaxID: r.MaxID})
	n.mu.Unlock()
	n.sent <- Sent{Kind: "read", From: me.ID, To: to, ID: r.MaxID}
	return s.SendResult(req, &tg.MessagesAffectedMessages{Pts: pts, PtsCount: count})
}

func (n *Network) setTyping(s *tgtest.Server, req *tgtest.Request) error {
	var r tg.MessagesSetTypingRequest
	me, ok, err := n.caller(s, req, &r)
	if !ok {
		return err
	}
	var to, channel int64
	switch peer := r.Peer.(type) {
	case *tg.InputPeerUser:
		to = peer.UserID
	case *tg.InputPeerChannel:
		channel = peer.ChannelID
	}
	_, typing := r.Action.(*tg.SendMessageTypingAction)
	n.sent <- Sent{Kind: "typing", From: me.ID, To: to, ToChannel: channel, Typing: typing}
	return s.SendBool(req, true)
}
