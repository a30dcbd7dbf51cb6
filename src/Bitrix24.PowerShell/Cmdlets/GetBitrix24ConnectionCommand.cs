using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Connections;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Returns the current session's connection (portal, user, auth kind; never the secret).</summary>
    [Cmdlet(VerbsCommon.Get, "Bitrix24Connection")]
    [OutputType(typeof(Bitrix24Connection))]
    public sealed class GetBitrix24ConnectionCommand : B24Cmdlet
    {
        protected override void EndProcessing()
        {
            var current = SessionStore.Current;
            if (current == null) { WriteVerbose("Not connected. Run Connect-Bitrix24."); return; }
            current.HeldByUser = true;   // a later Connect-Bitrix24 then leaves it open for whoever holds it
            WriteObject(current);
        }
    }
}
