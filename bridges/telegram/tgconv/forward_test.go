package tgconv

import (
	"strconv"
	"testing"
	"time"

	"github.com/gotd/td/bin"
	"github.com/gotd/td/tg"
	"maunium.net/go/mautrix/event"
)

func TestForwardOrigin(t *testing.T) {
	names := map[string]string{"user:1": "Ann Lee", "channel:2": "Daily News"}
	resolve := func(p tg.PeerClass) string {
		switch p := p.(type) {
		case *tg.PeerUser:
			return names["user:"+strconv.FormatInt(p.UserID, 10)]
		case *tg.PeerChannel:
			return names["channel:"+strconv.FormatInt(p.ChannelID, 10)]
		}
		return ""
	}
	now := int(time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC).Unix())
	header := func(from tg.PeerClass, fromName, author string, date int) *tg.MessageFwdHeader {
		h := &tg.MessageFwdHeader{Date: date}
		if from != nil {
			h.SetFromID(from)
		}
		if fromName != "" {
			h.SetFromName(fromName)
		}
		if author != "" {
			h.SetPostAuthor(author)
		}
		return h
	}
	tests := []struct {
		name     string
		h        *tg.MessageFwdHeader
		wantName string
		wantDay  string
	}{
		{"known user", header(&tg.PeerUser{UserID: 1}, "", "", now-60), "Ann Lee", ""},
		{"unknown user", header(&tg.PeerUser{UserID: 9}, "", "", now), "a Telegram user", ""},
		{"channel with author", header(&tg.PeerChannel{ChannelID: 2}, "", "Bob", now), "Daily News (Bob)", ""},
		{"channel without author", header(&tg.PeerChannel{ChannelID: 2}, "", "", now), "Daily News", ""},
		{"unknown channel", header(&tg.PeerChannel{ChannelID: 3}, "", " ", now), "a channel", ""},
		{"hidden user", header(nil, "Secret Sam", "", now), "Secret Sam", ""},
		{"nobody", header(nil, "", "", now), "an unknown sender", ""},
		{"older original", header(&tg.PeerUser{UserID: 1}, "", "", now-3*86400), "Ann Lee", "7 Mar 2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, day := ForwardOrigin(tt.h, resolve, now)
			if name != tt.wantName || day != tt.wantDay {
				t.Errorf("got %q %q, want %q %q", name, day, tt.wantName, tt.wantDay)
			}
		})
	}
}

func TestWithForward(t *testing.T) {
	tests := []struct {
		name string
		in   event.MessageEventContent
		day  string
		body string
		html string
	}{
		{"text", event.MessageEventContent{MsgType: event.MsgText, Body: "hi <3\nbye"}, "",
			"Forwarded from Ann:\nhi <3\nbye", "Forwarded from <b>Ann</b>:<br>hi &lt;3<br>bye"},
		{"formatted", event.MessageEventContent{MsgType: event.MsgText, Body: "bold", Format: event.FormatHTML, FormattedBody: "<b>bold</b>"}, "",
			"Forwarded from Ann:\nbold", "Forwarded from <b>Ann</b>:<br><b>bold</b>"},
		{"with day", event.MessageEventContent{MsgType: event.MsgNotice, Body: "x"}, "1 May 2024",
			"Forwarded from Ann (sent 1 May 2024):\nx", "Forwarded from <b>Ann</b> (sent 1 May 2024):<br>x"},
		{"media without caption", event.MessageEventContent{MsgType: event.MsgImage, Body: "photo.jpg", FileName: "photo.jpg"}, "",
			"Forwarded from Ann", "Forwarded from <b>Ann</b>"},
		{"media with caption", event.MessageEventContent{MsgType: event.MsgImage, Body: "look", FileName: "photo.jpg"}, "",
			"Forwarded from Ann:\nlook", "Forwarded from <b>Ann</b>:<br>look"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			WithForward(&c, "Ann", tt.day)
			if c.Body != tt.body || c.FormattedBody != tt.html || c.Format != event.FormatHTML {
				t.Errorf("got %q / %q (%s), want %q / %q", c.Body, c.FormattedBody, c.Format, tt.body, tt.html)
			}
		})
	}
	sticker := event.MessageEventContent{Body: "😀"}
	WithForward(&sticker, "Ann", "")
	if sticker.Body != "😀" || sticker.FormattedBody != "" {
		t.Errorf("sticker changed to %+v", sticker)
	}
	escaped := event.MessageEventContent{MsgType: event.MsgText, Body: "x"}
	WithForward(&escaped, "<script>", "")
	if escaped.FormattedBody != "Forwarded from <b>&lt;script&gt;</b>:<br>x" {
		t.Errorf("name not escaped: %q", escaped.FormattedBody)
	}
}

// FuzzForwardHeader feeds arbitrary TL-encoded forward headers to the converter: it must never
// panic and must always name an origin.
func FuzzForwardHeader(f *testing.F) {
	seeds := []*tg.MessageFwdHeader{{Date: 1}, {Date: 1700000000}}
	seeds[0].SetFromID(&tg.PeerChannel{ChannelID: 5})
	seeds[0].SetPostAuthor("a")
	seeds[1].SetFromName("n")
	for _, seed := range seeds {
		var b bin.Buffer
		if err := seed.Encode(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Raw(), 1700000000)
	}
	f.Fuzz(func(t *testing.T, data []byte, date int) {
		var h tg.MessageFwdHeader
		if err := h.Decode(&bin.Buffer{Buf: data}); err != nil {
			return
		}
		name, _ := ForwardOrigin(&h, func(tg.PeerClass) string { return "" }, date)
		if name == "" {
			t.Fatalf("no origin named for %+v", h)
		}
		c := event.MessageEventContent{MsgType: event.MsgText, Body: "x"}
		WithForward(&c, name, "")
		if c.Body == "x" || c.FormattedBody == "" {
			t.Errorf("forward line missing: %+v", c)
		}
	})
}
