package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/gotd/td/tg"
	"github.com/rs/zerolog"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
)

// pollEvery is how often Run looks whether the account logged in.
const pollEvery = 500 * time.Millisecond

// Run makes the network's people talk until ctx ends: once the account is logged in and its
// client listens (it listed its chats), every contact greets it, the group and the channel
// post, and from then on the group and the channel post every Interval; contacts answer what
// the account writes to them or in the group. A new login after a logout is greeted again.
func (d *Demo) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.answerLoop(ctx)
	}()
	defer func() { <-done }()
	log := zerolog.Ctx(ctx)
	poll := time.NewTicker(pollEvery)
	defer poll.Stop()
	var timer <-chan time.Time
	var ticker *time.Ticker
	defer func() {
		if ticker != nil {
			ticker.Stop()
		}
	}()
	greeted, baseline := false, 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-poll.C:
			switch {
			case !d.Net.LoggedIn(d.Account.User.ID):
				if greeted {
					log.Info().Msg("Demo account logged out")
				}
				greeted, baseline = false, d.Net.DialogCalls(d.Account)
				timer = nil
			case !greeted && d.Net.DialogCalls(d.Account) > baseline:
				log.Info().Str("phone", d.Phone()).Msg("Demo account logged in: greeting it")
				if err := d.greet(ctx); err != nil {
					return err
				}
				greeted = true
				if ticker == nil {
					ticker = time.NewTicker(d.opts.Interval)
				}
				timer = ticker.C
			}
		case <-timer:
			if err := d.post(ctx); err != nil {
				return err
			}
		}
	}
}

// greet makes every contact write to the account, and the group and the channel post.
func (d *Demo) greet(ctx context.Context) error {
	for _, c := range d.Contacts {
		if _, err := d.Net.Deliver(ctx, d.Account, c, greeting(c)); err != nil {
			return fmt.Errorf("greet from %s: %w", c.FirstName, err)
		}
	}
	if _, err := d.Net.DeliverToChannel(ctx, d.Group, d.Contacts[0], "Welcome to the "+GroupTitle+"! Say something here and one of us answers."); err != nil {
		return fmt.Errorf("greet in the group: %w", err)
	}
	if _, err := d.Net.DeliverToChannel(ctx, d.Channel, nil, ChannelTitle+": welcome! This channel posts every "+d.opts.Interval.String()+"."); err != nil {
		return fmt.Errorf("greet in the channel: %w", err)
	}
	return nil
}

// post is one timed post in the group and one in the channel.
func (d *Demo) post(ctx context.Context) error {
	d.mu.Lock()
	d.posts++
	n := d.posts
	d.mu.Unlock()
	from := d.Contacts[n%len(d.Contacts)]
	if _, err := d.Net.DeliverToChannel(ctx, d.Group, from, groupChatter(n)); err != nil {
		return fmt.Errorf("post in the group: %w", err)
	}
	if _, err := d.Net.DeliverToChannel(ctx, d.Channel, nil, headline(n)); err != nil {
		return fmt.Errorf("post in the channel: %w", err)
	}
	return nil
}

// answerLoop answers what the account sends until ctx ends.
func (d *Demo) answerLoop(ctx context.Context) {
	for ctx.Err() == nil {
		s, err := d.Net.WaitSent(pollEvery)
		if err != nil || s.From != d.Account.User.ID || (s.Kind != "message" && s.Kind != "media") {
			continue
		}
		if err = d.answer(ctx, s); err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("Demo contact could not answer")
		}
	}
}

// answer makes a contact answer a message of the account: the contact it wrote to, or in the
// group the next contact in turn.
func (d *Demo) answer(ctx context.Context, s tgfake.Sent) error {
	switch {
	case s.ToChannel == d.Group.ID:
		from := d.Contacts[d.nextAnswer(d.Group.ID)%len(d.Contacts)]
		_, err := d.Net.DeliverToChannel(ctx, d.Group, from, answerText(from.FirstName, s))
		return err
	case s.To != 0:
		for _, c := range d.Contacts {
			if c.ID == s.To {
				d.nextAnswer(c.ID)
				_, err := d.Net.DeliverReply(ctx, d.Account, c, s.ID, answerText(c.FirstName, s))
				return err
			}
		}
	}
	return nil
}

func (d *Demo) nextAnswer(key int64) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.answers[key]++
	return d.answers[key]
}

// Contacts' lines.
var (
	greetings = map[string]string{
		"Ada":   "Hi, I'm Ada! This chat is bridged from the demo Telegram network. Write me anything and I'll answer.",
		"Alan":  "Hello from Alan on the demo Telegram network. Can a bridge think? Ask me.",
		"Grace": "Grace here, hello! I run the Demo News channel. Write to me any time.",
	}
	chatter = []string{
		"Has anyone tried sending a picture through the bridge?",
		"Reactions and replies cross the bridge too.",
		"Rename this group in Telegram and Matrix follows.",
		"Coffee break, back in a minute.",
	}
	headlines = []string{
		"Local bridge passes its tests.",
		"Matrix and Telegram talk on loopback.",
		"Demo contacts answer within a second.",
	}
)

func greeting(c *tg.User) string {
	if g, ok := greetings[c.FirstName]; ok {
		return g
	}
	return "Hi, I'm " + c.FirstName + " on the demo Telegram network."
}

func groupChatter(n int) string { return chatter[(n-1)%len(chatter)] }

func headline(n int) string {
	return fmt.Sprintf("%s #%d: %s", ChannelTitle, n, headlines[(n-1)%len(headlines)])
}

// answerText is what contact `name` answers to s.
func answerText(name string, s tgfake.Sent) string {
	if s.Kind == "media" {
		return name + ": thanks for the " + s.Media + "!"
	}
	text := []rune(s.Text)
	if len(text) > 60 {
		text = append(text[:60], '…')
	}
	return fmt.Sprintf("%s: you wrote %q. Nice to hear from you on the demo network!", name, string(text))
}
