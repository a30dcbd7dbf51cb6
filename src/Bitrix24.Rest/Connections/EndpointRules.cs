using System;
using System.Net;

namespace Bitrix24.Rest.Connections
{
    /// <summary>The HTTPS rule: a portal is reached over https; plain http only on this machine.</summary>
    public static class EndpointRules
    {
        public static bool IsLoopbackHost(string host)
        {
            if (string.IsNullOrEmpty(host)) return false;
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            var trimmed = host.Trim('[', ']');
            return IPAddress.TryParse(trimmed, out var address) && IPAddress.IsLoopback(address);
        }

        /// <summary>Throws when the address would send credentials in clear text over a network.</summary>
        public static void RequireSecureScheme(Uri address)
        {
            if (address.Scheme == Uri.UriSchemeHttps) return;
            if (address.Scheme == Uri.UriSchemeHttp && IsLoopbackHost(address.Host)) return;
            if (address.Scheme == Uri.UriSchemeHttp)
                throw new Bitrix24ConfigurationException(
                    $"Plain http:// is refused for portal '{address.Host}': it would send the webhook secret or token in clear text. " +
                    "Use https://. (http:// is accepted only for loopback hosts: 127.0.0.0/8, ::1, localhost.)");
            throw new Bitrix24ConfigurationException(
                $"The portal address must start with https:// (got a '{address.Scheme}' address for '{address.Host}').");
        }
    }

    /// <summary>A connection that cannot be made as given (bad URL, insecure scheme, missing token).
    /// Its message never contains the secret.</summary>
    public sealed class Bitrix24ConfigurationException : Exception
    {
        public Bitrix24ConfigurationException(string message) : base(message) { }
    }
}
