package synth

// Name lists for the synthetic population, in the fund's style: upper case,
// with accents and Ñ as RENAPO writes them. Weights follow, roughly, how
// common each name is in Mexico, so the population looks like the real one
// (many HERNÁNDEZ, few IBARRA) and homonyms occur as they do in life.

type weighted struct {
	s string
	w int
}

var surnames = []weighted{
	{"HERNÁNDEZ", 100}, {"GARCÍA", 75}, {"MARTÍNEZ", 72}, {"LÓPEZ", 68}, {"GONZÁLEZ", 66},
	{"PÉREZ", 50}, {"RODRÍGUEZ", 48}, {"SÁNCHEZ", 46}, {"RAMÍREZ", 44}, {"CRUZ", 34},
	{"FLORES", 30}, {"GÓMEZ", 30}, {"MORALES", 24}, {"VÁZQUEZ", 24}, {"JIMÉNEZ", 23},
	{"REYES", 23}, {"DÍAZ", 22}, {"TORRES", 22}, {"GUTIÉRREZ", 21}, {"RUIZ", 20},
	{"MENDOZA", 20}, {"AGUILAR", 19}, {"ORTIZ", 18}, {"MORENO", 18}, {"CASTILLO", 17},
	{"ROMERO", 16}, {"ÁLVAREZ", 16}, {"MÉNDEZ", 15}, {"CHÁVEZ", 15}, {"RIVERA", 15},
	{"JUÁREZ", 14}, {"RAMOS", 14}, {"DOMÍNGUEZ", 13}, {"HERRERA", 13}, {"MEDINA", 13},
	{"CASTRO", 12}, {"VARGAS", 12}, {"GUZMÁN", 12}, {"VELÁZQUEZ", 11}, {"MUÑOZ", 11},
	{"ROJAS", 10}, {"DE LA CRUZ", 10}, {"CONTRERAS", 10}, {"SALAZAR", 10}, {"LUNA", 9},
	{"ORTEGA", 9}, {"SANTIAGO", 9}, {"GUERRERO", 9}, {"BAUTISTA", 8}, {"CORTÉS", 8},
	{"ESTRADA", 8}, {"SOTO", 8}, {"ALVARADO", 8}, {"ESPINOZA", 8}, {"LARA", 7},
	{"ÁVILA", 7}, {"RÍOS", 7}, {"CERVANTES", 7}, {"SILVA", 7}, {"DELGADO", 7},
	{"VEGA", 6}, {"MÁRQUEZ", 6}, {"SANDOVAL", 6}, {"FERNÁNDEZ", 6}, {"LEÓN", 6},
	{"CARRILLO", 6}, {"MEJÍA", 6}, {"SOLÍS", 5}, {"NÚÑEZ", 5}, {"ROSAS", 5},
	{"VALDEZ", 5}, {"IBARRA", 5}, {"CAMACHO", 5}, {"NAVARRO", 5}, {"PEÑA", 5},
	{"MALDONADO", 5}, {"ROSALES", 5}, {"ACOSTA", 5}, {"MIRANDA", 4}, {"TREJO", 4},
	{"CABRERA", 4}, {"VALENCIA", 4}, {"NAVA", 4}, {"ROBLES", 4}, {"MOLINA", 4},
	{"PACHECO", 4}, {"DEL ÁNGEL", 3}, {"FIGUEROA", 3}, {"AYALA", 3}, {"CAMPOS", 3},
	{"OCHOA", 3}, {"ZAMORA", 3}, {"IBÁÑEZ", 2}, {"YÁÑEZ", 2}, {"ÚRSULO", 1},
	{"ICH", 1}, {"OCAÑA", 2}, {"BOJÓRQUEZ", 2}, {"QUINTERO", 3}, {"VILLANUEVA", 3},
	{"MC GREGOR", 1}, {"DE LOS SANTOS", 2}, {"PEDRERO", 1}, {"BACA", 1}, {"COLÍN", 2},
}

var namesMujer = []weighted{
	{"MARÍA GUADALUPE", 40}, {"GUADALUPE", 30}, {"MARÍA", 25}, {"JUANA", 18}, {"MARGARITA", 16},
	{"VERÓNICA", 15}, {"ROSA MARÍA", 14}, {"LETICIA", 14}, {"ALEJANDRA", 14}, {"PATRICIA", 14},
	{"ELIZABETH", 13}, {"GABRIELA", 13}, {"LAURA", 12}, {"ADRIANA", 12}, {"ANA MARÍA", 12},
	{"CLAUDIA", 11}, {"SILVIA", 11}, {"MARTHA", 11}, {"DANIELA", 11}, {"FERNANDA", 10},
	{"XIMENA", 10}, {"SOFÍA", 10}, {"VALERIA", 10}, {"ANDREA", 10}, {"KARLA", 9},
	{"MARÍA JOSÉ", 9}, {"MARÍA FERNANDA", 9}, {"YOLANDA", 8}, {"ARACELI", 8}, {"BRENDA", 8},
	{"CAROLINA", 7}, {"ITZEL", 7}, {"MONSERRAT", 6}, {"NOEMÍ", 6}, {"ROCÍO", 6},
	{"ESTEFANÍA", 6}, {"JAQUELINE", 5}, {"OFELIA", 4}, {"CONCEPCIÓN", 5}, {"LUZ MARÍA", 6},
	{"MA. DEL CARMEN", 5}, {"IRMA", 5}, {"MÓNICA", 6}, {"SUSANA", 5}, {"ERÉNDIRA", 2},
	{"EMMA", 3}, {"ANGÉLICA", 5}, {"NAYELI", 5}, {"CITLALI", 3}, {"BEATRIZ", 5},
}

var namesHombre = []weighted{
	{"JOSÉ LUIS", 30}, {"JUAN", 28}, {"JOSÉ", 24}, {"MIGUEL ÁNGEL", 20}, {"FRANCISCO", 18},
	{"JESÚS", 18}, {"ANTONIO", 16}, {"ALEJANDRO", 16}, {"PEDRO", 14}, {"JUAN CARLOS", 14},
	{"MANUEL", 13}, {"RICARDO", 12}, {"FERNANDO", 12}, {"JORGE", 12}, {"ROBERTO", 11},
	{"CARLOS", 11}, {"EDUARDO", 11}, {"RAFAEL", 10}, {"DAVID", 10}, {"DANIEL", 10},
	{"LUIS ÁNGEL", 9}, {"JOSÉ ANTONIO", 9}, {"ÁNGEL", 9}, {"MARIO", 8}, {"SERGIO", 8},
	{"MARTÍN", 8}, {"OMAR", 7}, {"RAÚL", 7}, {"ARTURO", 7}, {"HÉCTOR", 7},
	{"SANTIAGO", 8}, {"SEBASTIÁN", 7}, {"DIEGO", 8}, {"EMILIANO", 6}, {"MATEO", 6},
	{"ISAAC", 5}, {"ÓSCAR", 6}, {"VÍCTOR HUGO", 5}, {"ENRIQUE", 6}, {"GERARDO", 6},
	{"J. GUADALUPE", 3}, {"JUAN JOSÉ", 5}, {"ANDRÉS", 5}, {"RUBÉN", 5}, {"IGNACIO", 4},
	{"CUAUHTÉMOC", 2}, {"EFRAÍN", 3}, {"ULISES", 3}, {"NOÉ", 3}, {"ÍÑIGO", 1},
}

// Company-name parts for employers.
var companyStems = []string{
	"ABARROTES", "CONSTRUCTORA", "TRANSPORTES", "DISTRIBUIDORA", "SERVICIOS INTEGRALES",
	"MANUFACTURAS", "COMERCIALIZADORA", "AUTOPARTES", "ALIMENTOS", "TEXTILES", "LOGÍSTICA",
	"GRUPO INDUSTRIAL", "FARMACIAS", "HOTELERA", "TECNOLOGÍA", "AGROINDUSTRIAS", "PLÁSTICOS",
	"MUEBLES", "SEGURIDAD PRIVADA", "LIMPIEZA PROFESIONAL", "CALZADO", "EMPACADORA",
}

var companyNames = []string{
	"DEL NORTE", "DEL BAJÍO", "DEL PACÍFICO", "DEL GOLFO", "PENINSULAR", "DEL CENTRO",
	"AZTECA", "ANÁHUAC", "SAN JOSÉ", "LA PROVIDENCIA", "EL ÁGUILA", "MONTERREY", "TAPATÍA",
	"POTOSINA", "SONORENSE", "DE OCCIDENTE", "SANTA FE", "LOS PINOS", "LA ESPERANZA", "ÑUU SAVI",
}

var companyForms = []string{"S.A. DE C.V.", "S. DE R.L. DE C.V.", "S.A.P.I. DE C.V.", "S.C."}
