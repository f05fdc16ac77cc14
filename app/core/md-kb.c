/* md-kb.c: placeholder until implemented */

#include "md-config.h"
