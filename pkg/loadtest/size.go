package loadtest

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Fleet knobs of the memory and startup bench: how many idle logins the bridge binary carries
// and how many portals its database holds when its startup is timed. `make test` runs them
// small; `make bench` sets them to 100,1000 and 10000.
const (
	// EnvLogins lists the login counts RSS is measured at, comma-separated ("100,1000").
	EnvLogins = "MXB_BENCH_LOGINS"
	// EnvStartupPortals is the number of portals in the database when startup is timed.
	EnvStartupPortals = "MXB_BENCH_STARTUP_PORTALS"
)

// SmallLogins and SmallPortals are the fleet `make test` runs at.
var (
	SmallLogins  = []int{5, 10}
	SmallPortals = 100
)

// FleetSize returns the login counts (ascending, each measured in turn; startup is timed at
// the last) and the portal count of the memory and startup bench, from the environment or the
// small defaults.
func FleetSize() (logins []int, portals int, err error) {
	logins, portals = append([]int(nil), SmallLogins...), SmallPortals
	if v := strings.TrimSpace(os.Getenv(EnvLogins)); v != "" {
		logins = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				return nil, 0, fmt.Errorf("read %s: %q is not a list of positive numbers", EnvLogins, v)
			}
			if len(logins) > 0 && n <= logins[len(logins)-1] {
				return nil, 0, fmt.Errorf("read %s: %q does not ascend", EnvLogins, v)
			}
			logins = append(logins, n)
		}
	}
	if v := strings.TrimSpace(os.Getenv(EnvStartupPortals)); v != "" {
		if portals, err = strconv.Atoi(v); err != nil || portals < 0 {
			return nil, 0, fmt.Errorf("read %s: %q is not a number of portals", EnvStartupPortals, v)
		}
	}
	return logins, portals, nil
}
