using System;

namespace Bitrix24.Rest.Connections
{
    /// <summary>Where a connection sends its calls, read from what the user gave: a webhook URL or a portal's address.</summary>
    internal sealed class PortalAddress
    {
        private PortalAddress(Uri root, Uri methodBase, int? userId, string webhookSecret)
        {
            Root = root;
            MethodBase = methodBase;
            UserId = userId;
            WebhookSecret = webhookSecret;
        }

        /// <summary>Scheme, host and port: safe to show.</summary>
        public Uri Root { get; }
        /// <summary>Method names are added to this; for a webhook it holds the secret.</summary>
        public Uri MethodBase { get; }
        public int? UserId { get; }
        public string WebhookSecret { get; }

        /// <summary>
        /// An inbound webhook address <c>https://portal/rest/&lt;user id&gt;/&lt;secret&gt;/</c> (a trailing method name,
        /// as copied from the portal's example, is dropped). Errors never quote the secret.
        /// </summary>
        public static PortalAddress OfWebhook(string webhookUrl)
        {
            const string shape = "expected https://<portal>/rest/<user id>/<secret>/ as shown by the portal's inbound webhook page";
            if (string.IsNullOrWhiteSpace(webhookUrl))
                throw new Bitrix24ConfigurationException("The webhook URL is empty; " + shape + ".");
            if (!Uri.TryCreate(webhookUrl.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                throw new Bitrix24ConfigurationException("The webhook URL is not a valid absolute address; " + shape + ".");
            EndpointRules.RequireSecureScheme(uri);

            var segments = uri.AbsolutePath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            var restAt = Array.FindIndex(segments, s => s.Equals("rest", StringComparison.OrdinalIgnoreCase));
            if (restAt < 0 || segments.Length < restAt + 3
                || !int.TryParse(segments[restAt + 1], out var userId) || userId <= 0
                || segments.Length > restAt + 4)
                throw new Bitrix24ConfigurationException($"The webhook URL for portal '{uri.Host}' does not have the webhook shape; " + shape + ".");
            var secret = Uri.UnescapeDataString(segments[restAt + 2]);
            if (secret.Length == 0)
                throw new Bitrix24ConfigurationException($"The webhook URL for portal '{uri.Host}' has an empty secret; " + shape + ".");

            var root = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            var prefix = string.Join("/", segments, 0, restAt + 3);
            return new PortalAddress(root, new Uri(root, prefix + "/"), userId, secret);
        }

        /// <summary>An OAuth application's portal: calls go to <c>https://portal/rest/&lt;method&gt;</c>.</summary>
        public static PortalAddress OfPortal(string portal)
        {
            if (string.IsNullOrWhiteSpace(portal))
                throw new Bitrix24ConfigurationException("The portal is empty; give its address, e.g. https://acme.bitrix24.com.");
            var text = portal.Trim();
            if (!text.Contains("://")) text = "https://" + text;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                throw new Bitrix24ConfigurationException($"'{portal}' is not a portal address; give e.g. https://acme.bitrix24.com.");
            EndpointRules.RequireSecureScheme(uri);
            var root = new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            return new PortalAddress(root, new Uri(root, "rest/"), null, null);
        }
    }
}
