// cdktf's own jest typings declare Matchers<R> with one type parameter, which no longer merges
// with @types/jest's Matchers<R, T>; these are the same matchers, declared to merge.
import type { TerraformConstructor } from "cdktf/lib/testing/matchers";

declare global {
  namespace jest {
    interface Matchers<R, T = {}> {
      toHaveResource(resourceConstructor: TerraformConstructor): R;
      toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveDataSource(dataSourceConstructor: TerraformConstructor): R;
      toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveProvider(providerConstructor: TerraformConstructor): R;
      toHaveProviderWithProperties(providerConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toBeValidTerraform(): R;
    }
  }
}
export {};
