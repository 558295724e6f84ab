package account

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fast keeps the tests quick; the production parameters are exercised by
// the benchmark in bench/.
var fast = HashParams{MemoryKiB: 64, Time: 1, Threads: 1}

func TestHashAndVerify(t *testing.T) {
	ctx := context.Background()
	h := NewHasher(fast, 2)
	enc, err := h.Hash(ctx, "Tamales#2026")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("encoding %q", enc)
	}
	if ok, rehash, err := h.Verify(ctx, "Tamales#2026", enc); !ok || rehash || err != nil {
		t.Fatalf("right password: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
	if ok, _, err := h.Verify(ctx, "tamales#2026", enc); ok || err != nil {
		t.Fatalf("wrong password accepted (err %v)", err)
	}
	other, _ := h.Hash(ctx, "Tamales#2026")
	if other == enc {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	stronger := NewHasher(HashParams{MemoryKiB: 128, Time: 2, Threads: 1}, 1)
	if ok, rehash, _ := stronger.Verify(ctx, "Tamales#2026", enc); !ok || !rehash {
		t.Fatalf("raised parameters: ok=%v rehash=%v, want re-hash", ok, rehash)
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "$bcrypt$x", "$argon2id$v=19$m=64,t=1,p=1$@@$@@"} {
		if _, _, err := h.Verify(ctx, "x", bad); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestHasherSemaphoreBoundsConcurrency(t *testing.T) {
	h := NewHasher(fast, 1)
	h.slots <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "x"); err != ErrBusy {
		t.Fatalf("err = %v, want ErrBusy while the slot is taken", err)
	}
	<-h.slots
	if _, err := h.Hash(context.Background(), "x"); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	pd := PersonalData{Names: []string{"MARÍA GUADALUPE", "HERNÁNDEZ", "GARCÍA"}, NSS: "92919084431",
		CURP: "HEGG560427MVZRRL04", RFC: "HEGG560427AB1", Email: "lupita.hg@correo.mx"}
	ok := []string{
		"Tamales#2026",
		"Pozole!Rojo9",
		"el perro del vecino ladra de noche", // passphrase, no composition needed
		strings.Repeat("Ab1!", 32),           // exactly 128
	}
	for _, pw := range ok {
		if msg := CheckPassword(pw, pd); msg != "" {
			t.Errorf("%q refused: %s", pw, msg)
		}
	}
	bad := map[string]string{
		"Ab1!":                     "al menos 8",
		"tamales2026":              "mayúscula",
		"TAMALES#2026":             "minúscula",
		"Tamales#Rojo":             "número",
		"Tamales2026x":             "especial",
		strings.Repeat("Ab1!", 33): "128",
		"Contraseña#1":             "muy común",
		"Infonavit2024!":           "muy común",
		"123456789012345":          "muy común",
		"aaaaaaaaaaaaaaaa":         "muy común",
		"Garcia#Rojo1956":          "tu nombre",
		"Hernandez!2026":           "tu nombre",
		"Mi NSS es 92919084431":    "tu NSS",
		"hegg560427 es mi curp ok": "tu NSS",
		"Lupita.HG@correo.mx1":     "tu correo",
	}
	for pw, want := range bad {
		msg := CheckPassword(pw, pd)
		if msg == "" || !strings.Contains(msg, want) {
			t.Errorf("%q: message %q, want it to mention %q", pw, msg, want)
		}
	}
}
