using System.Management.Automation;
using Bitrix24.PowerShell.Base;
using Bitrix24.PowerShell.Parameters;
using Bitrix24.Rest.Crm;

namespace Bitrix24.PowerShell.Cmdlets
{
    /// <summary>Changes leads with crm.lead.update, sending only the fields given or edited.</summary>
    [Cmdlet(VerbsCommon.Set, "B24Lead", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
    [OutputType("Bitrix24.Lead")]
    public sealed class SetB24LeadCommand : B24SetEntityCmdlet<LeadFields>
    {
        protected override CrmEntity Entity => CrmEntity.Lead;
    }
}
