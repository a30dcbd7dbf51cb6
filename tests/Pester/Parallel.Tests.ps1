# Several runspaces of one process talking to one portal share its pace (the leaky bucket is process-wide).
# Buckets of their own would send two or three times the portal's rate: dozens of refusals. Sharing one,
# a thread stalled on a busy machine can still bunch two sends into one refusal (sent again), so up to
# three are allowed; the exact pace is tested on virtual time (LearnedPaceTests).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal
    $module = Get-BuiltModulePath
}
AfterAll { Stop-TestPortal $portal }

Describe 'One portal, many runspaces' {
    BeforeEach {
        Set-PortalLimit $portal -Rate 10 -Burst 10
        Clear-PortalLog $portal
    }

    It 'ForEach-Object -Parallel stays under the portal''s bucket' {
        $ids = @(Add-PortalLead $portal -Count 36 -Fields @{ TITLE = 'parallel' })
        $groups = 0..2 | ForEach-Object { , $ids[($_ * 12)..($_ * 12 + 11)] }
        $groups | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            Connect-Bitrix24 -WebhookUrl ($using:portal).WebhookUrl -RateLimit 10 -Burst 10 -SkipCheck
            foreach ($id in $_) { Set-B24Lead -Id $id -Comments "parallel $id" -Fields @{ TITLE = 'parallel' } }
        }
        $stats = Get-PortalStat $portal
        $stats.rateLimited | Should -BeLessOrEqual 3
        $ids | ForEach-Object { (Get-PortalLead $portal $_).COMMENTS | Should -Be "parallel $_" }
    }

    It 'Start-ThreadJob jobs share it too' {
        $ids = @(Add-PortalLead $portal -Count 30 -Fields @{ TITLE = 'jobs' })
        $jobs = foreach ($part in @(, $ids[0..14]) + @(, $ids[15..29])) {
            Start-ThreadJob -ArgumentList (, $part) -ScriptBlock {
                param($mine)
                Import-Module $using:module
                Connect-Bitrix24 -WebhookUrl ($using:portal).WebhookUrl -RateLimit 10 -Burst 10 -SkipCheck
                $mine | ForEach-Object { Set-B24Lead -Id $_ -Comments "job $_" -Fields @{ TITLE = 'jobs' } }
            }
        }
        $null = $jobs | Wait-Job -Timeout 60 | Receive-Job -ErrorAction Stop
        $jobs | Remove-Job -Force
        (Get-PortalStat $portal).rateLimited | Should -BeLessOrEqual 3
        $ids | ForEach-Object { (Get-PortalLead $portal $_).COMMENTS | Should -Be "job $_" }
    }

    It 'a connection passed to parallel runspaces is used as given' {
        $ids = @(Add-PortalLead $portal -Count 6 -Fields @{ TITLE = 'shared connection' })
        $connection = Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 10 -Burst 10 -PassThru
        $ids | ForEach-Object -ThrottleLimit 3 -Parallel {
            Import-Module $using:module
            Set-B24Lead -Id $_ -Comments "given $_" -Connection $using:connection
        }
        (Get-PortalStat $portal).rateLimited | Should -BeLessOrEqual 3
        $ids | ForEach-Object { (Get-PortalLead $portal $_).COMMENTS | Should -Be "given $_" }
    }
}
