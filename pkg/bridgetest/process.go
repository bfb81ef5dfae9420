package bridgetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/mxbridges/mxbridges/pkg/bridgeproc"
	"github.com/mxbridges/mxbridges/pkg/postgres"
)

// ProcessBridge is a bridge under test that runs as its built binary.
type ProcessBridge struct {
	*bridgeproc.Process
	DBKind string
	pg     *postgres.Database
}

// AddProcess prepares a bridge binary (opts.Binary) the way an admin would (-e, edit, -g) and
// registers it with Synapse. Start starts it after Synapse.
func (s *Stack) AddProcess(ctx context.Context, opts BridgeOptions) (*ProcessBridge, error) {
	if opts.Name == "" || opts.Binary == "" {
		return nil, fmt.Errorf("add process: Name and Binary are required")
	}
	res, err := newResources(ctx, s.Dir, s.Synapse.URL, s.Synapse.ServerName, opts)
	if err != nil {
		return nil, err
	}
	pb := &ProcessBridge{DBKind: res.dbKind, pg: res.pg}
	s.Processes = append(s.Processes, pb)
	if pb.Process, err = bridgeproc.Prepare(ctx, opts.Name, opts.Binary, filepath.Join(s.Dir, opts.Name), res.params); err != nil {
		return nil, err
	}
	if err = s.Synapse.AddRegistration(pb.Registration); err != nil {
		return nil, err
	}
	return pb, nil
}

// AppserviceURL is the base URL of the bridge's appservice listener (transactions and the
// provisioning API under /_matrix/provision).
func (pb *ProcessBridge) AppserviceURL() string { return pb.Registration.URL }

// ProvisioningSecret is the provisioning.shared_secret the binary generated into its config.
func (pb *ProcessBridge) ProvisioningSecret() string { return pb.Config.Provisioning.SharedSecret }

func (pb *ProcessBridge) close(ctx context.Context) {
	if pb.Process != nil {
		_ = pb.Stop(10 * time.Second)
	}
	if pb.pg != nil {
		if err := pb.pg.Drop(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "bridgetest: %v\n", err)
		}
	}
}

// BuildBinary builds the main package at pkgPath (an import path) with the suite's build tags
// into dir and returns the binary's path.
func BuildBinary(ctx context.Context, pkgPath, dir string) (string, error) {
	return BuildBinaryTags(ctx, pkgPath, dir, "goolm")
}

// BuildBinaryTags is BuildBinary with other build tags (comma-separated, e.g. "goolm,wafake"
// for a binary that talks to its test's fake network).
func BuildBinaryTags(ctx context.Context, pkgPath, dir, tags string) (string, error) {
	out := filepath.Join(dir, filepath.Base(pkgPath))
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", tags, "-o", out, pkgPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build %s: %w: %s", pkgPath, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}
