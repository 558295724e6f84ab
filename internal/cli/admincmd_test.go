package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAdminCreateOperator(t *testing.T) {
	env := keys("sqlite:" + filepath.Join(t.TempDir(), "a.db"))
	if code, _, stderr := run(t, env, "admin"); code != 2 || !strings.Contains(stderr, "create-operator") {
		t.Fatalf("no subcommand: %d %q", code, stderr)
	}
	code, out, stderr := run(t, env, "admin", "create-operator", "--email", "Jefa@Fondo.example", "--name", "Jefa de Operación", "--role", "administrador")
	if code != 0 || !strings.Contains(out, "jefa@fondo.example (administrador)") {
		t.Fatalf("create: %d %q %q", code, out, stderr)
	}
	m := regexp.MustCompile(`temporary password \(shown once[^)]*\): (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) != 16 {
		t.Fatalf("no temporary password in %q", out)
	}
	// The printed password is the one that signs in.
	a := openApp(t, env)
	if _, _, _, err := a.Operators.SignIn(context.Background(), "jefa@fondo.example", m[1], "127.0.0.1", "test"); err != nil {
		t.Fatalf("sign in with the printed password: %v", err)
	}
	a.Close()

	// A password from standard input is never echoed.
	var stdout, errb bytes.Buffer
	code = RunEnv(context.Background(), []string{"admin", "create-operator", "--email", "op@fondo.example", "--name", "Operadora Uno",
		"--role", "operador", "--region", "JC", "--password-stdin"},
		Env{Stdin: strings.NewReader("una-clave-bastante-larga\n"), Stdout: &stdout, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	if code != 0 || strings.Contains(stdout.String(), "una-clave") || strings.Contains(stdout.String(), "temporary password") {
		t.Fatalf("stdin password: %d %q %q", code, stdout.String(), errb.String())
	}

	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--email", "jefa@fondo.example", "--name", "Otra", "--role", "operador"}, "already exists"},
		{[]string{"--email", "x@fondo.example", "--name", "Equis", "--role", "jefe"}, "--role"},
		{[]string{"--email", "no-es-correo", "--name", "Equis", "--role", "auditor"}, "--email"},
		{[]string{"--email", "y@fondo.example", "--name", "Ye", "--role", "auditor", "--region", "ZZ"}, "--region"},
	}
	for _, c := range cases {
		code, _, stderr := run(t, env, append([]string{"admin", "create-operator"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %d %q", c.args, code, stderr)
		}
	}
}
