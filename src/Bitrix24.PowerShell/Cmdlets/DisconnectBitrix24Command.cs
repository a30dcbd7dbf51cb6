using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Connections;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Ends the current session (or closes the given connection).</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Bitrix24")]
    public sealed class DisconnectBitrix24Command : B24Cmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public Bitrix24Connection Connection { get; set; }

        protected override void ProcessRecord()
        {
            var current = SessionStore.Current;
            var target = Connection ?? current;
            if (target == null)
            {
                WriteVerbose("Not connected; nothing to disconnect.");
                return;
            }
            if (ReferenceEquals(target, current)) SessionStore.Current = null;
            target.Dispose();
            WriteVerbose($"Disconnected from {target}.");
        }
    }
}
