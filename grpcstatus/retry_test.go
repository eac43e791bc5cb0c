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

// retryClient is a real client whose server fails n times per service
// name before it succeeds; the retry interceptor records its waits.
func retryClient(t *testing.T, fails map[string]int, p faults.RetryPolicy, idempotent func(string) bool) (healthpb.HealthClient, *faultServer, *[]time.Duration) {
	srv := &faultServer{calls: map[string]int{}, fails: fails}
	var waits []time.Duration
	p.Sleep = func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }
	c := startServer(t, srv, []grpc.ServerOption{grpc.UnaryInterceptor(grpcstatus.UnaryServerInterceptor())},
		grpc.WithChainUnaryInterceptor(grpcstatus.UnaryClientRetryInterceptor(p, idempotent), grpcstatus.UnaryClientInterceptor()))
	return c, srv, &waits
}

func always(string) bool { return true }

// The server's RetryInfo (3 s, set by richFault) is a floor on the wait,
// not cut to the policy's backoff cap (newcomer finding 2).
func TestRetryInterceptorHonoursRetryInfo(t *testing.T) {
	svc := string(codes.HostNotConnected) // retryable, UNAVAILABLE
	client, srv, waits := retryClient(t, map[string]int{svc: 2}, faults.RetryPolicy{MaxAttempts: 5, MaxBackoff: time.Second}, always)
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc}); err != nil {
		t.Fatalf("call failed after retries: %v", err)
	}
	if srv.calls[svc] != 3 || len(*waits) != 2 || (*waits)[0] != 3*time.Second {
		t.Errorf("calls %d, waits %v; want 3 calls and RetryInfo's 3s", srv.calls[svc], *waits)
	}
}

// Methods not declared idempotent are retried only on refusals (ABORTED).
func TestRetryInterceptorIdempotency(t *testing.T) {
	unavailable, aborted := string(codes.HostNotConnected), string(codes.TaskInProgress)
	client, srv, _ := retryClient(t, map[string]int{unavailable: 2, aborted: 2}, faults.RetryPolicy{MaxAttempts: 5}, nil)
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: unavailable})
	if srv.calls[unavailable] != 1 {
		t.Errorf("an UNAVAILABLE call to a method not declared idempotent was made %d times", srv.calls[unavailable])
	}
	if f, ok := err.(*faults.Error); !ok || f.Code() != codes.HostNotConnected {
		t.Errorf("a single failed attempt came back as %T %v, want the fault itself", err, err)
	}
	if _, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: aborted}); err != nil || srv.calls[aborted] != 3 {
		t.Errorf("TaskInProgress: %d calls, err %v; want it retried until it clears", srv.calls[aborted], err)
	}
}

func TestRetryInterceptorGivesUp(t *testing.T) {
	svc := string(codes.HostNotConnected)
	client, srv, _ := retryClient(t, map[string]int{svc: 10}, faults.RetryPolicy{MaxAttempts: 3}, always)
	_, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
	var re *faults.RetryError
	if srv.calls[svc] != 3 || !errors.As(err, &re) || re.Attempts != 3 || faults.CodeOf(err) != codes.HostNotConnected {
		t.Errorf("calls %d, err %T %v", srv.calls[svc], err, err)
	}
	// Non-retryable faults are never retried.
	bad := string(codes.InvalidPowerState)
	client, srv, _ = retryClient(t, map[string]int{bad: 10}, faults.RetryPolicy{MaxAttempts: 3}, always)
	_, _ = client.Check(context.Background(), &healthpb.HealthCheckRequest{Service: bad})
	if srv.calls[bad] != 1 {
		t.Errorf("a non-retryable fault was tried %d times", srv.calls[bad])
	}
}
