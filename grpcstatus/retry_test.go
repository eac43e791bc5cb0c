package grpcstatus_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/gssfault/gssfault/codes"
	"github.com/gssfault/gssfault/faults"
	"github.com/gssfault/gssfault/grpcstatus"
)

// fakeClock records the waits Retry asks for instead of sleeping.
type fakeClock struct {
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *fakeClock) policy(p grpcstatus.Policy) grpcstatus.Policy {
	p.Sleep, p.Now = c.sleep, func() time.Time { return c.now }
	return p
}

// retryClient is a real client whose server fails n times per service
// name before it succeeds.
func retryClient(t *testing.T, fails map[string]int, p grpcstatus.Policy) (healthpb.HealthClient, *faultServer) {
	srv := &faultServer{calls: map[string]int{}, fails: fails}
	c := startServer(t, srv, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithUnaryInterceptor(grpcstatus.UnaryClientRetryInterceptor(p)))
	return c, srv
}

func TestRetryHonoursRetryInfo(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	svc := string(codes.TaskInProgress) // retryable; the server sets RetryInfo 3s
	client, srv := retryClient(t, map[string]int{svc: 2}, clock.policy(grpcstatus.Policy{MaxAttempts: 5, MaxBackoff: time.Minute}))
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc}); err != nil {
		t.Fatalf("call failed after retries: %v", err)
	}
	if srv.calls[svc] != 3 {
		t.Errorf("server saw %d calls, want 3", srv.calls[svc])
	}
	if len(clock.waits) != 2 || clock.waits[0] != 3*time.Second || clock.waits[1] != 3*time.Second {
		t.Errorf("waits = %v, want RetryInfo's 3s twice", clock.waits)
	}
}

func TestRetryStopsAtMaxAttempts(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	svc := string(codes.HostNotConnected)
	client, srv := retryClient(t, map[string]int{svc: 100}, clock.policy(grpcstatus.Policy{MaxAttempts: 4, MaxBackoff: 2 * time.Second}))
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
	var re *grpcstatus.RetryError
	if !errors.As(err, &re) || re.Attempts != 4 || srv.calls[svc] != 4 {
		t.Fatalf("err = %v, calls %d; want a RetryError after 4 attempts", err, srv.calls[svc])
	}
	if !errors.Is(err, faults.Code(codes.HostNotConnected)) {
		t.Error("the last fault is not reachable from the RetryError")
	}
	for _, w := range clock.waits {
		if w != 2*time.Second {
			t.Errorf("wait %v, want RetryInfo's 3s capped at MaxBackoff 2s", w)
		}
	}
}

func TestRetryNeverRetriesNonRetryable(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	for _, svc := range []string{string(codes.InvalidPowerState), string(codes.NoPermission), "foreign-aborted", "plain"} {
		client, srv := retryClient(t, map[string]int{svc: 100}, clock.policy(grpcstatus.Policy{MaxAttempts: 5}))
		_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
		if err == nil || srv.calls[svc] != 1 {
			t.Errorf("%s: %d calls, want 1", svc, srv.calls[svc])
		}
	}
	if len(clock.waits) != 0 {
		t.Errorf("waited %v for non-retryable faults", clock.waits)
	}
}

func TestRetryBackoffForForeignUnavailable(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	svc := "foreign-unavailable" // no RetryInfo: backoff
	p := clock.policy(grpcstatus.Policy{MaxAttempts: 5, InitialBackoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, Multiplier: 2, Jitter: 0.5})
	client, srv := retryClient(t, map[string]int{svc: 100}, p)
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
	if err == nil || srv.calls[svc] != 5 || len(clock.waits) != 4 {
		t.Fatalf("calls %d, waits %v", srv.calls[svc], clock.waits)
	}
	bounds := [][2]time.Duration{{50, 100}, {100, 200}, {150, 300}, {150, 300}} // ms: backoff*(1-j) .. backoff, capped
	for i, w := range clock.waits {
		lo, hi := bounds[i][0]*time.Millisecond, bounds[i][1]*time.Millisecond
		if w < lo || w > hi {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, w, lo, hi)
		}
	}
}

func TestRetryNeverSleepsPastDeadline(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	svc := string(codes.TaskInProgress) // RetryInfo 3s
	client, srv := retryClient(t, map[string]int{svc: 100}, clock.policy(grpcstatus.Policy{MaxAttempts: 10, MaxBackoff: time.Minute}))
	ctx, cancel := context.WithDeadline(context.Background(), clock.now.Add(4*time.Second))
	defer cancel()
	_, err := client.Check(ctx, &healthpb.HealthCheckRequest{Service: svc})
	var re *grpcstatus.RetryError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	// One 3s wait fits before the deadline; the next would end after it.
	if srv.calls[svc] != 2 || len(clock.waits) != 1 {
		t.Errorf("calls %d, waits %v; want 2 calls and one wait", srv.calls[svc], clock.waits)
	}
}

func TestRetryHelperRealTime(t *testing.T) {
	n := 0
	start := time.Now()
	err := grpcstatus.Retry(context.Background(), grpcstatus.Policy{MaxAttempts: 3, InitialBackoff: 5 * time.Millisecond, Jitter: -1},
		func(context.Context) error {
			n++
			if n < 3 {
				return faults.New(codes.ServiceUnavailable, "starting").WithRetryDelay(10 * time.Millisecond)
			}
			return nil
		})
	if err != nil || n != 3 {
		t.Fatalf("Retry = %v after %d calls", err, n)
	}
	if d := time.Since(start); d < 20*time.Millisecond || d > 2*time.Second {
		t.Errorf("Retry took %v, want about 20ms of waits", d)
	}
}

// The degradation chain on a real call path: a retryable fault serves the
// cached value, NotFound a default, anything else passes on.
func TestDegradeOnRealCalls(t *testing.T) {
	client := startServer(t, &faultServer{}, nil, grpc.WithUnaryInterceptor(grpcstatus.UnaryClientInterceptor()))
	cached := &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}
	def := &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVICE_UNKNOWN}
	h := grpcstatus.Degrade(
		grpcstatus.OnRetryable(func(context.Context, *faults.Error) (*healthpb.HealthCheckResponse, error) { return cached, nil }),
		grpcstatus.OnCode(codes.NotFound, func(context.Context, *faults.Error) (*healthpb.HealthCheckResponse, error) { return def, nil }),
	)
	call := func(svc string) (*healthpb.HealthCheckResponse, error) {
		return grpcstatus.Call(context.Background(), func(ctx context.Context) (*healthpb.HealthCheckResponse, error) {
			return client.Check(ctx, &healthpb.HealthCheckRequest{Service: svc})
		}, h)
	}
	if v, err := call(string(codes.HostNotReachable)); err != nil || v != cached {
		t.Errorf("retryable fault: %v, %v; want the cached value", v, err)
	}
	if v, err := call(string(codes.NotFound)); err != nil || v != def {
		t.Errorf("NotFound: %v, %v; want the default", v, err)
	}
	if _, err := call(string(codes.NoPermission)); faults.CodeOf(err) != codes.NoPermission {
		t.Errorf("NoPermission passed on as %v", err)
	}
	if v, err := call("ok"); err != nil || v.Status != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("success: %v %v", v, err)
	}
}
