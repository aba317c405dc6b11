package dev.kestrel.api.security;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Headers on every response, the desk page's and the API's: a content security policy under which the page runs
 * only its own scripts and styles and cannot be framed, no MIME sniffing, no referrer, HTTPS only once seen over
 * HTTPS, and nothing cached of what the API answers (customer data, tokens).
 */
@ServerFilter("/**")
final class SecurityHeaders implements Ordered {
    /** What the desk page needs: its own files, uPlot's canvas, and fetch to the API; no inline script or style. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** Before the security filter, so that its refusals (401, 403) carry the headers too. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @ResponseFilter
    void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        var headers = response.getHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        if (!isStaticFile(request.getPath())) {
            headers.set("Cache-Control", "no-store");
        }
    }

    /** The page's shell and scripts, which hold no data: the browser may cache them. */
    private static boolean isStaticFile(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/desk.") || path.startsWith("/webjars/");
    }
}
