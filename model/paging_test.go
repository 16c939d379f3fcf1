package model

import (
	"errors"
	"testing"

	"github.com/wbfiles/wbfiles/wandb"
)

func TestPagingOneRequestAtATime(t *testing.T) {
	p := NewPaging()
	req, ok := p.Next()
	if !ok || req.After != "" || req.Gen != 0 {
		t.Fatalf("first Next = %+v, %v; want the first page", req, ok)
	}
	if _, ok := p.Next(); ok {
		t.Fatal("a second request was allowed while one is in flight")
	}
	if !p.Done(0, wandb.PageInfo{EndCursor: "c1", HasNextPage: true}, nil) {
		t.Fatal("the answer of the current generation was dropped")
	}
	req, ok = p.Next()
	if !ok || req.After != "c1" {
		t.Fatalf("Next after a page = %+v, %v; want After c1", req, ok)
	}
	p.Done(0, wandb.PageInfo{EndCursor: "c2", HasNextPage: false}, nil)
	if _, ok := p.Next(); ok {
		t.Fatal("a request was allowed after the last page")
	}
	if p.Pages() != 2 || p.HasNext() {
		t.Fatalf("pages %d hasNext %v; want 2, false", p.Pages(), p.HasNext())
	}
}

func TestPagingStaleAnswerDropped(t *testing.T) {
	p := NewPaging()
	old, _ := p.Next()
	p.Restart()
	if p.Done(old.Gen, wandb.PageInfo{EndCursor: "x", HasNextPage: true}, nil) {
		t.Fatal("an answer of a superseded generation was accepted")
	}
	req, ok := p.Next()
	if !ok || req.Gen != old.Gen+1 || req.After != "" {
		t.Fatalf("Next after Restart = %+v, %v; want the first page of the new generation", req, ok)
	}
	// The stale answer must not have cleared the new request's flight.
	if !p.InFlight() {
		t.Fatal("the stale answer ended the new generation's request")
	}
}

func TestPagingErrorThenRetry(t *testing.T) {
	p := NewPaging()
	p.Next()
	boom := errors.New("boom")
	p.Done(0, wandb.PageInfo{}, boom)
	if !errors.Is(p.Err(), boom) {
		t.Fatalf("Err = %v; want boom", p.Err())
	}
	if _, ok := p.Next(); ok {
		t.Fatal("Next went on after a failure without Retry")
	}
	req, ok := p.Retry()
	if !ok || req.After != "" || p.Err() != nil {
		t.Fatalf("Retry = %+v, %v, err %v; want the same page again", req, ok, p.Err())
	}
	if _, ok := p.Retry(); ok {
		t.Fatal("Retry without a failure sent a request")
	}
}

func TestPagingNoCursorEndsPaging(t *testing.T) {
	p := NewPaging()
	p.Next()
	p.Done(0, wandb.PageInfo{HasNextPage: true}, nil)
	if _, ok := p.Next(); ok {
		t.Fatal("paging would ask for the first page again after a page with no end cursor")
	}
}
