//go:build integration

package connector_test

import (
	"context"
	"testing"
	"time"

	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/pkg/matrixtest"
)

// waitProfile waits until the ghost's Matrix profile satisfies ok.
func waitProfile(t *testing.T, s *session, ghost id.UserID, what string, ok func(name string, avatar id.ContentURIString) bool) {
	t.Helper()
	deadline := time.Now().Add(matrixtest.DefaultTimeout)
	var name string
	var avatar id.ContentURIString
	for time.Now().Before(deadline) {
		profile, err := s.u.Client.GetProfile(context.Background(), ghost)
		if err == nil {
			name, avatar = profile.DisplayName, profile.AvatarURL.CUString()
			if ok(name, avatar) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: ghost profile is %q / %q", what, name, avatar)
}

// TestGhostsFollowProfileChanges: a Telegram user's new name and new profile photo reach their
// ghost after the ghost was made.
func TestGhostsFollowProfileChanges(t *testing.T) {
	s := login(t, "Rio")
	peer, _, ghost, _, _ := chatWith(t, s, "Sam")
	ctx := context.Background()
	waitProfile(t, s, ghost, "the first name", func(name string, _ id.ContentURIString) bool { return name == "Sam" })

	if err := net.DeliverUserName(ctx, s.acct, peer, "Samantha", "Stone"); err != nil {
		t.Fatal(err)
	}
	waitProfile(t, s, ghost, "the new name", func(name string, _ id.ContentURIString) bool { return name == "Samantha Stone" })

	photo := randomBytes(t, 2048)
	if err := net.DeliverUserPhoto(ctx, s.acct, peer, photo); err != nil {
		t.Fatal(err)
	}
	var avatar id.ContentURIString
	waitProfile(t, s, ghost, "the new photo", func(_ string, a id.ContentURIString) bool { avatar = a; return a != "" })
	if got := s.u.Download(t, avatar); string(got) != string(photo) {
		t.Errorf("ghost avatar has %d bytes, want the %d-byte photo", len(got), len(photo))
	}
}
