//go:build integration

package connector_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// envProfile names a folder where the memory and startup bench stores pprof profiles of the
// bridge binary's last start: CPU from exec until it settled, and the heap once idle. With it
// set, the fleet binary serves mautrix's debug endpoints (provisioning.debug_endpoints).
const envProfile = "MXB_BENCH_PROFILE"

// profileCPU fetches a CPU profile of the fleet binary over the next d into dir/name, retrying
// until its listener is up. It returns when the profile is stored or failed.
func profileCPU(ctx context.Context, dir, name string, d time.Duration) error {
	q := "/debug/pprof/profile?seconds=" + strconv.Itoa(int(d.Seconds()))
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fetchProfile(ctx, q, filepath.Join(dir, name))
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// fetchProfile stores the debug endpoint path of the fleet binary in file.
func fetchProfile(ctx context.Context, path, file string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fleet.AppserviceURL()+path, nil)
	if err != nil {
		return fmt.Errorf("build profile request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+fleet.ProvisioningSecret())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("fetch profile: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read profile: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch profile %s: HTTP %d: %s", path, resp.StatusCode, data)
	}
	if err = os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("create profile folder: %w", err)
	}
	if err = os.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("write profile: %w", err)
	}
	return nil
}

// cpuSeconds is the CPU time (user and system) a process has used so far.
func cpuSeconds(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("read CPU time: %w", err)
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("read CPU time: short stat line")
	}
	utime, err1 := strconv.ParseFloat(fields[11], 64)
	stime, err2 := strconv.ParseFloat(fields[12], 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("read CPU time: bad stat line")
	}
	const clockTicks = 100 // USER_HZ on Linux
	return (utime + stime) / clockTicks, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	if err = os.WriteFile(dst, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}
