using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;

namespace Bitrix24.PowerShell.Base
{
    /// <summary>Reads a secret given as a string, a SecureString or a PSCredential (its password).</summary>
    internal static class SecretText
    {
        public static string Read(object value, string parameterName)
        {
            switch (PSValue.Unwrap(value))
            {
                case null: return null;
                case string text: return text;
                case SecureString secure: return FromSecureString(secure);
                case PSCredential credential: return FromSecureString(credential.Password);
                default:
                    throw new ArgumentException($"-{parameterName} takes a string, a SecureString or a PSCredential.");
            }
        }

        private static string FromSecureString(SecureString secure)
        {
            if (secure == null) return null;
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
