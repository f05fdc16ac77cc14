/* md-smtp-reader.c: placeholder until implemented */

#include "md-config.h"
#include "md-smtp-reader.h"
