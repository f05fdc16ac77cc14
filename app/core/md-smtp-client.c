/* md-smtp-client.c: placeholder until implemented */

#include "md-config.h"
#include "md-smtp-client.h"
