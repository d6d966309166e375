/**
 * Accounts held by Parley: registration, login (which issues tokens), login throttling and the first admin.
 */
@NullMarked
package dev.parley.account;

import org.jspecify.annotations.NullMarked;
