/* md-discover.c: placeholder until implemented */

#include "md-config.h"
