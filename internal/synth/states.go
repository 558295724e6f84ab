package synth

// stateWeights weights the 32 entities by where the fund's accounts are:
// formal employment, not plain population. The portal's own statistics put
// Ciudad de México, Nuevo León, Estado de México, Jalisco and Chihuahua
// first (domain.md §11), in that order; the rest follow formal employment.
var stateWeights = []weighted{
	{"DF", 150}, {"NL", 110}, {"MC", 100}, {"JC", 90}, {"CH", 60},
	{"GT", 55}, {"BC", 55}, {"CL", 45}, {"TS", 40}, {"SR", 38},
	{"PL", 37}, {"VZ", 36}, {"QT", 30}, {"QR", 25}, {"SL", 24},
	{"SP", 23}, {"YN", 22}, {"MN", 22}, {"AS", 18}, {"HG", 16},
	{"MS", 14}, {"TC", 14}, {"DG", 12}, {"GR", 12}, {"OC", 12},
	{"CS", 11}, {"ZS", 9}, {"TL", 8}, {"NT", 8}, {"CM", 7},
	{"BS", 7}, {"CC", 6},
}
