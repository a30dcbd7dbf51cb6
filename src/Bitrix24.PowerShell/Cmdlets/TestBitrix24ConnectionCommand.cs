using System;
using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Diagnostics;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>
    /// Checks, on the connected portal, the assumptions the module depends on (scopes, field flags, pipelines and
    /// their stages, crm.item names and multi-fields, list, batch and user paging, the answer's time block) and
    /// writes one object per check with what was seen and the doc page behind it. Read-only unless -IncludeWrite,
    /// which creates a throwaway lead and deal, changes them and deletes them (asked through ShouldProcess).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "Bitrix24Connection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PortalCheck))]
    public sealed class TestBitrix24ConnectionCommand : B24ConnectedCmdlet
    {
        /// <summary>Also create a test lead and deal (titled "Bitrix24.PowerShell self-check"), change and delete them.</summary>
        [Parameter]
        public SwitchParameter IncludeWrite { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                foreach (var check in PortalChecks.ReadChecks)
                    WriteObject(Await((cancel, log) => check(new PortalChecks(ActiveConnection.Client, cancel, log))));
                if (IncludeWrite && ShouldProcess(ActiveConnection.Portal,
                        $"Create a lead and a deal titled '{PortalChecks.TestTitle}', change them (title, phones, pipeline) and delete them"))
                    foreach (var result in Await((cancel, log) => new PortalChecks(ActiveConnection.Client, cancel, log).WriteChecksAsync()))
                        WriteObject(result);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowB24Error(ex, ActiveConnection.Portal);
            }
        }
    }
}
