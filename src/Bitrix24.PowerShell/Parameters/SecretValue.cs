using System.Management.Automation;
using System.Security;

namespace Bitrix24.PowerShell.Parameters
{
    /// <summary>
    /// A credential as a user has it: a string, a SecureString (Read-Host -AsSecureString, a SecretManagement vault)
    /// or a PSCredential (its password). The type says so in help and in binding errors; its text is read only when
    /// the connection is made, and never shown (ToString says what it is, not what it holds).
    /// </summary>
    public sealed class SecretValue
    {
        private readonly object _value;

        public SecretValue(string text) => _value = text;
        public SecretValue(SecureString secure) => _value = secure;
        public SecretValue(PSCredential credential) => _value = credential;

        internal string Read(string parameterName) => Base.SecretText.Read(_value, parameterName);

        public override string ToString() => "(secret)";
    }
}
