#ifndef PETREL_COPENSSL_VERIFY_H
#define PETREL_COPENSSL_VERIFY_H

#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

// Verifies a peer certificate chain (DER, leaf first) against the system
// trust store and, when `hostname` is not NULL, the host name (RFC 6125).
// Returns 1 when trusted; otherwise 0 with a reason in `err`.
static inline int petrel_verify_chain(const unsigned char *const *ders, const size_t *lengths, int count,
                                      const char *hostname, char *err, size_t errlen) {
    int ok = 0;
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509 *leaf = NULL;
    if (store == NULL || ctx == NULL || untrusted == NULL || count < 1) {
        snprintf(err, errlen, "verification set-up failed");
        goto done;
    }
    X509_STORE_set_default_paths(store);
    for (int i = 0; i < count; i++) {
        const unsigned char *p = ders[i];
        X509 *cert = d2i_X509(NULL, &p, (long)lengths[i]);
        if (cert == NULL) {
            snprintf(err, errlen, "unparsable certificate %d", i);
            goto done;
        }
        if (i == 0) {
            leaf = cert;
        } else {
            sk_X509_push(untrusted, cert);
        }
    }
    if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
        snprintf(err, errlen, "verification set-up failed");
        goto done;
    }
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
    if (hostname != NULL && hostname[0] != 0) {
        X509_VERIFY_PARAM_set1_host(param, hostname, 0);
    }
    if (X509_verify_cert(ctx) == 1) {
        ok = 1;
    } else {
        int code = X509_STORE_CTX_get_error(ctx);
        snprintf(err, errlen, "%s", X509_verify_cert_error_string(code));
    }
done:
    if (ctx) X509_STORE_CTX_free(ctx);
    if (store) X509_STORE_free(store);
    if (untrusted) sk_X509_pop_free(untrusted, X509_free);
    if (leaf) X509_free(leaf);
    return ok;
}

#endif
