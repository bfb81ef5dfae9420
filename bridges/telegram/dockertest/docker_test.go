//go:build docker

package dockertest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"maunium.net/go/mautrix/appservice"
	"maunium.net/go/mautrix/id"

	"github.com/mxbridges/mxbridges/bridges/telegram/tgfake"
	"github.com/mxbridges/mxbridges/pkg/bridgeconf"
	"github.com/mxbridges/mxbridges/pkg/loopback"
	"github.com/mxbridges/mxbridges/pkg/matrixtest"
	"github.com/mxbridges/mxbridges/pkg/postgres"
	"github.com/mxbridges/mxbridges/pkg/synapse"
)

// image is the tag `make docker-test` builds for a bridge.
func image(bridge string) string {
	if tag := os.Getenv("MXB_IMAGE_TAG"); tag != "" {
		return "mxbridges/" + bridge + ":" + tag
	}
	return "mxbridges/" + bridge + ":dev"
}

// container is one bridge's image with its data folder.
type container struct {
	// volume is the container's /data; data is its folder on the host.
	bridge, volume, data, name string
	port                       int
	env                        []string
	// healthCmd is the compose service's healthcheck, run by the shell.
	healthCmd string
}

// docker runs the docker client and returns its output.
func docker(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "docker", args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// once runs the image to its end with extra environment, as `docker run --rm` does.
func (c *container) once(t *testing.T, ctx context.Context, env ...string) string {
	t.Helper()
	args := []string{"run", "--rm", "--network", "host", "-v", c.volume + ":/data"}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	out, err := docker(ctx, append(args, image(c.bridge))...)
	if err != nil {
		t.Fatalf("docker run %s: %v\n%s", c.bridge, err, out)
	}
	return out
}

func TestImagesAsAdminsRunThem(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	if out, err := docker(ctx, "info"); err != nil {
		t.Fatalf("no Docker engine (run through make docker-test): %v\n%s", err, out)
	}
	hs, err := synapse.New(ctx, synapse.Options{Name: "docker"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Stop(); _ = hs.Remove() })
	net, err := tgfake.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dcs, keys := net.Servers()

	// The bridges' services as docker/compose.yaml declares them, on the host network: the
	// addresses of the synapse and postgres services become the test's Synapse and a fresh
	// database of the test's PostgreSQL (TestComposeFile checks them against the postgres
	// service), each bridge's own address a free loopback port, its named volume a folder.
	admin := id.NewUserID("admin", hs.ServerName)
	compose := loadCompose(t, map[string]string{
		"SERVER_NAME": hs.ServerName, "ADMIN": admin.String(),
		"TELEGRAM_API_ID": "12345", "TELEGRAM_API_HASH": "0123456789abcdef0123456789abcdef",
	})
	containers := map[string]*container{}
	for _, b := range []string{"whatsapp", "telegram"} {
		svc, ok := compose.Services[b]
		if !ok {
			t.Fatalf("docker/compose.yaml has no %s service", b)
		}
		if svc.Image != image(b) && os.Getenv("MXB_IMAGE_TAG") == "" {
			t.Fatalf("docker/compose.yaml runs %s from %q, make docker-images builds %s", b, svc.Image, image(b))
		}
		// A named volume at /data, as compose makes it: the engine fills it with the image's
		// /data (owned by the image's uid 1337) at its first mount. The test reads and edits
		// its files where the engine keeps them, as an admin on the host can.
		vol := svc.mountAt("/data")
		if _, named := compose.Volumes[vol]; !named {
			t.Fatalf("docker/compose.yaml's %s service mounts %q at /data, not a named volume", b, vol)
		}
		volume := fmt.Sprintf("mxb-test-%s-%d", vol, time.Now().UnixNano())
		if out, err := docker(ctx, "volume", "create", volume); err != nil {
			t.Fatalf("create volume: %v\n%s", err, out)
		}
		t.Cleanup(func() { _, _ = docker(context.Background(), "volume", "rm", "-f", volume) })
		out, err := docker(ctx, "volume", "inspect", "--format", "{{.Mountpoint}}", volume)
		data := strings.TrimSpace(out)
		if _, serr := os.Stat(data); err != nil || serr != nil {
			t.Fatalf("the volume's folder %q is not reachable from the test (the engine must be local): %v %v", data, err, serr)
		}
		port, err := loopback.FreePort()
		if err != nil {
			t.Fatal(err)
		}
		db, err := postgres.Create(ctx, "docker_"+b)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Drop(context.Background()) })
		c := &container{bridge: b, volume: volume, data: data, port: port, name: fmt.Sprintf("mxb-test-%s-%d", b, time.Now().UnixNano())}
		c.env = serviceEnv(t, svc, map[string]string{
			"http://synapse:8008":                          hs.URL,
			fmt.Sprintf("http://%s:%d", b, defaultPort[b]): loopback.URL(port),
		}, db.URL)
		// Two bridges cannot share a port on the host network: the one override compose lacks.
		c.env = append(c.env, fmt.Sprintf("MXBRIDGES_APPSERVICE__PORT=%d", port))
		if len(svc.Healthcheck.Test) < 2 || svc.Healthcheck.Test[0] != "CMD" {
			t.Fatalf("docker/compose.yaml's %s healthcheck %q is not a CMD list", b, svc.Healthcheck.Test)
		}
		c.healthCmd = strings.Join(svc.Healthcheck.Test[1:], " ")
		containers[b] = c

		// First start: the config, and a message saying what to do next.
		out = c.once(t, ctx, c.env...)
		if !strings.Contains(out, "Wrote /data/config.yaml") {
			t.Errorf("%s first start said:\n%s", b, out)
		}
		if _, err = os.Stat(filepath.Join(data, "registration.yaml")); err == nil {
			t.Errorf("%s wrote its registration at the first start", b)
		}
		if got := configPort(t, filepath.Join(data, "config.yaml")); got != defaultPort[b] {
			t.Errorf("%s listens on %d in its container, compose.yaml's address says %d", b, got, defaultPort[b])
		}
		if b == "telegram" {
			// The test network's addresses and keys are lists, which no environment variable sets.
			if err = bridgeconf.Apply(filepath.Join(data, "config.yaml"), map[string]any{
				"network.servers.dcs": dcs, "network.servers.public_keys": keys,
			}); err != nil {
				t.Fatal(err)
			}
		}

		// Second start: the registration, from the config and the environment.
		out = c.once(t, ctx, c.env...)
		if !strings.Contains(out, "app_service_config_files") {
			t.Errorf("%s second start said:\n%s", b, out)
		}
		reg, err := appservice.LoadRegistration(filepath.Join(data, "registration.yaml"))
		if err != nil {
			t.Fatalf("%s registration: %v", b, err)
		}
		if reg.URL != loopback.URL(port) {
			t.Errorf("%s registration URL %s, want %s", b, reg.URL, loopback.URL(port))
		}
		checkSynapseReads(t, ctx, c, compose)
		if err = hs.AddRegistration(reg); err != nil {
			t.Fatal(err)
		}
	}
	if err = hs.Start(ctx); err != nil {
		t.Fatal(err)
	}

	// Third start: the bridges run.
	for _, c := range containers {
		args := []string{"run", "-d", "--name", c.name, "--network", "host", "--health-cmd", c.healthCmd, "--health-interval", "3s", "-v", c.volume + ":/data"}
		for _, e := range c.env {
			args = append(args, "-e", e)
		}
		if out, err := docker(ctx, append(args, image(c.bridge))...); err != nil {
			t.Fatalf("start %s: %v\n%s", c.bridge, err, out)
		}
		t.Cleanup(func() {
			if t.Failed() {
				logs, _ := docker(context.Background(), "logs", "--tail", "60", c.name)
				t.Logf("logs of %s:\n%s", c.name, logs)
			}
			_, _ = docker(context.Background(), "rm", "-f", c.name)
		})
	}
	for _, c := range containers {
		waitHealthy(t, ctx, c)
	}

	// The user compose.yaml's MXB_PERMISSIONS makes admin.
	acct, err := hs.RegisterUser(ctx, "admin", "admin-password", false)
	if err != nil {
		t.Fatal(err)
	}
	u := matrixtest.Login(t, hs.URL, matrixtest.Account{UserID: acct.UserID, AccessToken: acct.AccessToken, DeviceID: acct.DeviceID})
	rooms := map[string]id.RoomID{}
	for _, b := range []string{"whatsapp", "telegram"} {
		bot := id.NewUserID(b+"bot", hs.ServerName)
		c := u.Cursor()
		room := u.CreateDM(t, bot)
		u.WaitFor(t, room, c, b+" bot's welcome", matrixtest.MessageFrom(bot, "Hello"))
		c = u.Cursor()
		u.SendText(t, room, "help")
		u.WaitFor(t, room, c, b+" bot's help", matrixtest.MessageFrom(bot, "login"))
		rooms[b] = room
	}

	// One message each way through the Telegram image and the test network.
	tgBot := id.NewUserID("telegrambot", hs.ServerName)
	tgAcct := net.AddAccount("Dora", "15550001111", "13579")
	ask := func(text string, want ...string) {
		t.Helper()
		c := u.Cursor()
		u.SendText(t, rooms["telegram"], text)
		u.WaitFor(t, rooms["telegram"], c, "the answer to "+text, matrixtest.MessageFrom(tgBot, want...))
	}
	// bridgev2 takes the answer to a login step only after its "Please enter your ..." prompt.
	ask("login phone", "Please enter your Phone number")
	ask("+15550001111", "Please enter your Login code")
	ask("13579", "Successfully logged in as Dora")
	peer := net.AddUser("Eli", "", "", "15550002222")
	c := u.Cursor()
	if _, err = net.Deliver(ctx, tgAcct, peer, "hello from the container"); err != nil {
		t.Fatal(err)
	}
	portal := u.WaitInvite(t, c, "the portal of Eli's chat", nil)
	u.Join(t, portal)
	ghost := id.NewUserID(fmt.Sprintf("telegram_%d", peer.ID), hs.ServerName)
	u.WaitFor(t, portal, c, "Eli's message", matrixtest.MessageFrom(ghost, "hello from the container"))
	u.SendText(t, portal, "hello from Matrix")
	sent, err := net.WaitSent(matrixtest.DefaultTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Text != "hello from Matrix" || sent.To != peer.ID {
		t.Errorf("Telegram got %+v, want hello from Matrix to Eli", sent)
	}
}

// waitHealthy waits for the image's own healthcheck to report the bridge live.
func waitHealthy(t *testing.T, ctx context.Context, c *container) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out, err := docker(ctx, "inspect", "--format", "{{.State.Status}} {{.State.Health.Status}}", c.name)
		state := strings.TrimSpace(out)
		if err == nil && state == "running healthy" {
			return
		}
		if err == nil && strings.HasPrefix(state, "exited") {
			t.Fatalf("%s exited", c.bridge)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not healthy after 2 min: %s %v", c.bridge, state, err)
		}
		time.Sleep(time.Second)
	}
}
