using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Deletes leads with crm.lead.delete; asks for every one (ConfirmImpact High).</summary>
    [Cmdlet(VerbsCommon.Remove, "B24Lead", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    public sealed class RemoveB24LeadCommand : B24RemoveEntityCmdlet
    {
        protected override CrmEntity Entity => CrmEntity.Lead;
    }
}
