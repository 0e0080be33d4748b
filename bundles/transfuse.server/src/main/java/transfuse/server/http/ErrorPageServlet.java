package transfuse.server.http;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Errors the container raises itself (a malformed or ambiguous URI, an exception escaping a
 * servlet) answered as the API's one-line JSON instead of Jetty's HTML page.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletName("transfuse-error-page")
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
public final class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object message = req.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        int code = status instanceof Integer i ? i : 500;
        Responses.error(resp, code, message == null || String.valueOf(message).isBlank() ? "HTTP " + code
                : String.valueOf(message));
    }
}
