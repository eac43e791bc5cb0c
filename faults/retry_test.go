package faults_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	grpccodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
)

// fakeClock records the waits Retry asks for instead of sleeping.
type fakeClock struct {
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) policy(p faults.RetryPolicy) faults.RetryPolicy {
	c.now = time.Unix(1000, 0)
	p.Sleep = func(ctx context.Context, d time.Duration) error {
		c.waits = append(c.waits, d)
		c.now = c.now.Add(d)
		return ctx.Err()
	}
	p.Now = func() time.Time { return c.now }
	return p
}

// failing returns a call that fails with err n times, then succeeds.
func failing(n int, err error) (func(context.Context) error, *int) {
	calls := 0
	return func(context.Context) error {
		calls++
		if calls <= n {
			return err
		}
		return nil
	}, &calls
}

func retryInfo(t *testing.T, code grpccodes.Code, d time.Duration) error {
	st, err := status.New(code, "busy").WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(d)})
	if err != nil {
		t.Fatal(err)
	}
	return st.Err()
}

func TestRetryServerDelayIsAFloor(t *testing.T) {
	var clock fakeClock
	p := clock.policy(faults.RetryPolicy{MaxAttempts: 5, Idempotent: true})
	fn, calls := failing(2, retryInfo(t, grpccodes.Unavailable, 30*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if err := faults.Retry(ctx, p, fn); err != nil {
		t.Fatalf("Retry = %v", err)
	}
	if *calls != 3 || len(clock.waits) != 2 || clock.waits[0] != 30*time.Second || clock.waits[1] != 30*time.Second {
		t.Errorf("calls %d, waits %v; want RetryInfo's 30s, not cut to the 5s MaxBackoff", *calls, clock.waits)
	}
	// A tiny server delay does not make retries back to back.
	clock = fakeClock{}
	fn, _ = failing(1, retryInfo(t, grpccodes.Unavailable, time.Nanosecond))
	_ = faults.Retry(ctx, clock.policy(faults.RetryPolicy{Idempotent: true, Jitter: -1}), fn)
	if len(clock.waits) != 1 || clock.waits[0] != 100*time.Millisecond {
		t.Errorf("waits %v, want the 100ms backoff as the floor", clock.waits)
	}
	// An explicit cap bounds the server's delay.
	clock = fakeClock{}
	fn, _ = failing(1, retryInfo(t, grpccodes.Unavailable, time.Hour))
	_ = faults.Retry(ctx, clock.policy(faults.RetryPolicy{Idempotent: true, MaxDelay: 2 * time.Second}), fn)
	if len(clock.waits) != 1 || clock.waits[0] != 2*time.Second {
		t.Errorf("waits %v, want MaxDelay's 2s", clock.waits)
	}
}

func TestRetryStopsBeforeTheDeadline(t *testing.T) {
	var clock fakeClock
	p := clock.policy(faults.RetryPolicy{MaxAttempts: 5, Idempotent: true})
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1010, 0))
	defer cancel()
	fn, calls := failing(5, retryInfo(t, grpccodes.Unavailable, 30*time.Second))
	err := faults.Retry(ctx, p, fn)
	if *calls != 1 || len(clock.waits) != 0 {
		t.Errorf("calls %d, waits %v: it waited past the deadline", *calls, clock.waits)
	}
	if f, ok := faults.As(err); !ok || f.GRPCCode() != grpccodes.Unavailable {
		t.Errorf("err = %v", err)
	}
	var re *faults.RetryError
	if errors.As(err, &re) {
		t.Errorf("a single attempt came back as a RetryError: %v", err)
	}
}

func TestRetryAttemptsAndIdempotency(t *testing.T) {
	for _, tc := range []struct {
		name       string
		err        error
		idempotent bool
		calls      int
	}{
		{"not retryable", faults.New(codes.InvalidPowerState, "off"), true, 1},
		{"unavailable, idempotent", faults.New(codes.HostNotConnected, ""), true, 3},
		{"unavailable, not idempotent", faults.New(codes.HostNotConnected, ""), false, 1},
		{"task in progress, not idempotent", faults.New(codes.TaskInProgress, ""), false, 3},
		{"foreign unavailable", status.Error(grpccodes.Unavailable, "x"), true, 3},
		{"foreign aborted", status.Error(grpccodes.Aborted, "x"), true, 1},
		{"plain error", errors.New("x"), true, 1},
	} {
		var clock fakeClock
		fn, calls := failing(10, tc.err)
		err := faults.Retry(context.Background(), clock.policy(faults.RetryPolicy{Idempotent: tc.idempotent}), fn)
		if *calls != tc.calls {
			t.Errorf("%s: %d calls, want %d", tc.name, *calls, tc.calls)
		}
		var re *faults.RetryError
		if got := errors.As(err, &re); got != (tc.calls > 1) || got && re.Attempts != tc.calls {
			t.Errorf("%s: err = %v (%T)", tc.name, err, err)
		}
		if _, ok := faults.As(err); !ok {
			t.Errorf("%s: no fault in %v", tc.name, err)
		}
	}
}

// TestRetryWaitsAreFiniteAndPositive: hostile policies never overflow a
// wait into a negative or infinite one (red team m7).
func TestRetryWaitsAreFiniteAndPositive(t *testing.T) {
	for _, p := range []faults.RetryPolicy{
		{Multiplier: math.Inf(1)}, {Multiplier: math.NaN()}, {Multiplier: 1e12}, {Jitter: math.NaN()},
		{InitialBackoff: time.Duration(math.MaxInt64)}, {MaxBackoff: -1}, {Jitter: 5},
	} {
		var clock fakeClock
		p.MaxAttempts, p.Idempotent = 8, true
		fn, _ := failing(10, faults.New(codes.HostNotConnected, ""))
		_ = faults.Retry(context.Background(), clock.policy(p), fn)
		for _, w := range clock.waits {
			if w <= 0 || w > time.Hour {
				t.Errorf("%+v: wait %v", p, w)
			}
		}
	}
}

func TestRetryErrorLogsStructurally(t *testing.T) {
	var clock fakeClock
	fn, _ := failing(5, faults.New(codes.TaskInProgress, "vm-42 is busy"))
	err := faults.Retry(context.Background(), clock.policy(faults.RetryPolicy{MaxAttempts: 2}), fn)
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Error("power on", "err", err)
	for _, want := range []string{`"code":"GSS-VSP-014"`, `"attempts":2`, `"retryable":true`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("log %s lacks %s", b.String(), want)
		}
	}
	if s := err.Error(); s != "GSS-VSP-014 TaskInProgress: vm-42 is busy (after 2 attempts)" {
		t.Errorf("Error() = %q", s)
	}
	if status.Code(err) != grpccodes.Aborted {
		t.Errorf("status.Code = %v", status.Code(err))
	}
}
