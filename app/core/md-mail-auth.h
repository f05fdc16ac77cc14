/* md-mail-auth.h: placeholder until implemented */
#pragma once
