/* md-validate.c: placeholder until implemented */

#include "md-config.h"
