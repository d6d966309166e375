/**
 * Token verification, the handshake and CONNECT authentication, and HTTP and message authorization.
 */
@NullMarked
package dev.parley.security;

import org.jspecify.annotations.NullMarked;
