package account

// commonPasswords is a short list of the passwords people choose most, in
// Mexico and everywhere, folded (lower case, no accents). It catches the
// obvious choices; breached-password checks against a larger corpus can be
// added behind the same function.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"123456", "12345678", "123456789", "1234567890", "qwerty", "qwertyuiop", "asdfghjkl", "zxcvbnm",
		"password", "passw0rd", "password1", "contrasena", "contrasenia", "micontrasena", "clave", "miclave",
		"secreto", "acceso", "entrar", "iloveyou", "teamo", "teamomucho", "amor", "amormio", "miamor",
		"tequiero", "princesa", "princess", "bonita", "hermosa", "corazon", "mariposa", "estrella",
		"dragon", "monkey", "shadow", "master", "superman", "batman", "football", "baseball", "soccer",
		"futbol", "america", "chivas", "pumas", "cruzazul", "tigres", "rayados", "toluca", "monterrey",
		"guadalajara", "mexico", "mexicano", "mexicana", "vivamexico", "infonavit", "micuenta",
		"micuentainfonavit", "imss", "sat", "gobierno", "trabajo", "casa", "micasa", "vivienda", "credito",
		"hipoteca", "dinero", "ahorro", "familia", "mifamilia", "hijos", "mishijos", "mama", "papa",
		"mamita", "papito", "jesus", "dios", "diosesamor", "guadalupe", "virgen", "angel", "angelito",
		"maria", "jose", "juan", "luis", "carlos", "alejandro", "fernanda", "daniela", "sofia", "valeria",
		"abcdef", "abcdefg", "abcdefgh", "abc123", "a1b2c3", "qazwsx", "1q2w3e4r", "1q2w3e", "zaq12wsx",
		"admin", "administrador", "root", "usuario", "user", "welcome", "bienvenido", "hola", "holahola",
		"letmein", "sunshine", "flower", "killer", "hunter", "ranger", "charlie", "michael", "jordan",
		"lovely", "trustno1", "whatever", "freedom", "ninja", "pokemon", "naruto", "starwars", "google",
		"facebook", "whatsapp", "samsung", "iphone", "android", "computadora", "internet", "correo",
		"telefono", "celular", "perro", "gato", "perrito", "gatito", "chocolate", "cerveza", "tequila",
		"verano", "invierno", "primavera", "otono", "enero", "febrero", "marzo", "abril", "mayo",
		"junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "lunes",
		"viernes", "domingo", "azul", "rojo", "verde", "negro", "blanco", "rosa", "morado",
		"contrasenasegura", "passwordseguro", "12345678910", "11111111", "00000000", "87654321",
		"qwerty123", "password123", "contrasena123", "mexico123", "abc12345", "aa123456", "asd123",
	} {
		m[w] = true
	}
	return m
}()
